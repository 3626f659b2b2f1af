using System.Net;
using System.Net.Sockets;
using Tributary.Broker.Cluster;
using Tributary.Protocol;
using Tributary.Protocol.Messages;
using Xunit;

namespace Tributary.Broker.Tests.Cluster;

public sealed class ControllerChannelTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private static StubHandler<BrokerHeartbeatRequest, BrokerHeartbeatResponse> Heartbeat(ErrorCode error) =>
        new(ApiKey.BrokerHeartbeat, _ => new BrokerHeartbeatResponse { ErrorCode = (short)error, IsFenced = false });

    private static ControllerChannel Channel(IEnumerable<ControllerEndpoint> endpoints, FakeQuorumView? quorum = null) =>
        new([.. endpoints], quorum, new ControllerChannelOptions { MinBackoff = TimeSpan.FromMilliseconds(5), MaxBackoff = TimeSpan.FromMilliseconds(20) });

    [Fact]
    public async Task GoesStraightToTheLeaderTheQuorumNames()
    {
        var handlers = new[] { Heartbeat(ErrorCode.NotController), Heartbeat(ErrorCode.None), Heartbeat(ErrorCode.NotController) };
        await using var s1 = StubControllerServer.Start(1, handlers[0]);
        await using var s2 = StubControllerServer.Start(2, handlers[1]);
        await using var s3 = StubControllerServer.Start(3, handlers[2]);
        await using var channel = Channel([s1.Endpoint, s2.Endpoint, s3.Endpoint], new FakeQuorumView { LeaderId = 2 });

        var response = (BrokerHeartbeatResponse)await channel.SendAsync(new BrokerHeartbeatRequest { BrokerId = 7 }, Timeout, CancellationToken.None);

        Assert.Equal(0, response.ErrorCode);
        Assert.Equal((0, 1, 0), (handlers[0].Calls, handlers[1].Calls, handlers[2].Calls));
    }

    [Fact]
    public async Task WithoutAHintTriesEachVoterUntilTheControllerAnswers()
    {
        var handlers = new[] { Heartbeat(ErrorCode.NotController), Heartbeat(ErrorCode.NotController), Heartbeat(ErrorCode.None) };
        await using var s1 = StubControllerServer.Start(1, handlers[0]);
        await using var s2 = StubControllerServer.Start(2, handlers[1]);
        await using var s3 = StubControllerServer.Start(3, handlers[2]);
        await using var channel = Channel([s1.Endpoint, s2.Endpoint, s3.Endpoint], new FakeQuorumView { LeaderId = -1 });

        var response = (BrokerHeartbeatResponse)await channel.SendAsync(new BrokerHeartbeatRequest(), Timeout, CancellationToken.None);
        Assert.Equal(0, response.ErrorCode);
        Assert.Equal(1, handlers[2].Calls);

        // The controller that answered is remembered: the next request goes straight to it.
        var before = handlers[0].Calls + handlers[1].Calls;
        await channel.SendAsync(new BrokerHeartbeatRequest(), Timeout, CancellationToken.None);
        Assert.Equal(before, handlers[0].Calls + handlers[1].Calls);
        Assert.Equal(2, handlers[2].Calls);
    }

    [Fact]
    public async Task AStaleHintIsNotRetriedForeverAndAPerItemNotControllerIsRetried()
    {
        var notController = new StubHandler<CreateTopicsRequest, CreateTopicsResponse>(ApiKey.CreateTopics, r => new CreateTopicsResponse
        {
            Topics = [.. r.Topics.Select(t => new CreateTopicsResponse.CreatableTopicResult { Name = t.Name, ErrorCode = (short)ErrorCode.NotController })],
        });
        var controller = new StubHandler<CreateTopicsRequest, CreateTopicsResponse>(ApiKey.CreateTopics, r => new CreateTopicsResponse
        {
            Topics = [.. r.Topics.Select(t => new CreateTopicsResponse.CreatableTopicResult { Name = t.Name, NumPartitions = t.NumPartitions })],
        });
        await using var s1 = StubControllerServer.Start(1, notController);
        await using var s2 = StubControllerServer.Start(2, controller);
        await using var channel = Channel([s1.Endpoint, s2.Endpoint], new FakeQuorumView { LeaderId = 1 });

        var request = new CreateTopicsRequest { Topics = [new CreateTopicsRequest.CreatableTopic { Name = "t", NumPartitions = 3, ReplicationFactor = 1 }] };
        var response = (CreateTopicsResponse)await channel.SendAsync(request, Timeout, CancellationToken.None);

        Assert.Equal(0, response.Topics.Single().ErrorCode);
        Assert.Equal(3, response.Topics.Single().NumPartitions);
        Assert.True(notController.Calls >= 1);
    }

    [Fact]
    public async Task AnUnreachableVoterIsSkipped()
    {
        var handler = Heartbeat(ErrorCode.None);
        await using var s2 = StubControllerServer.Start(2, handler);
        var dead = new ControllerEndpoint(1, "127.0.0.1", ClosedPort());
        await using var channel = Channel([dead, s2.Endpoint], new FakeQuorumView { LeaderId = 1 });

        var response = (BrokerHeartbeatResponse)await channel.SendAsync(new BrokerHeartbeatRequest(), Timeout, CancellationToken.None);

        Assert.Equal(0, response.ErrorCode);
        Assert.Equal(1, handler.Calls);
    }

    [Fact]
    public async Task OtherErrorsAreReturnedWithoutRetrying()
    {
        var handler = Heartbeat(ErrorCode.StaleBrokerEpoch);
        await using var s1 = StubControllerServer.Start(1, handler);
        await using var channel = Channel([s1.Endpoint]);

        var response = (BrokerHeartbeatResponse)await channel.SendAsync(new BrokerHeartbeatRequest(), Timeout, CancellationToken.None);

        Assert.Equal((short)ErrorCode.StaleBrokerEpoch, response.ErrorCode);
        Assert.Equal(1, handler.Calls);
    }

    [Fact]
    public async Task GivesUpWithTimeoutExceptionWhenNoControllerAnswers()
    {
        var handler = Heartbeat(ErrorCode.NotController);
        await using var s1 = StubControllerServer.Start(1, handler);
        await using var channel = Channel([s1.Endpoint, new ControllerEndpoint(2, "127.0.0.1", ClosedPort())]);

        var error = await Assert.ThrowsAsync<TimeoutException>(() =>
            channel.SendAsync(new BrokerHeartbeatRequest(), TimeSpan.FromSeconds(1), CancellationToken.None));

        // The last failure (NOT_CONTROLLER, a refused connection or the attempt's own deadline) is kept for diagnosis.
        Assert.NotNull(error.InnerException);
    }

    [Fact]
    public async Task KeepsOneConnectionAndReconnectsWhenItCloses()
    {
        var calls = 0;
        // The first request makes the server close the connection (a handler that throws), like a controller that restarts.
        var handler = new StubHandler<BrokerHeartbeatRequest, BrokerHeartbeatResponse>(ApiKey.BrokerHeartbeat, _ =>
            Interlocked.Increment(ref calls) == 1 ? throw new InvalidOperationException("drop the connection") : new BrokerHeartbeatResponse());
        var observer = new CountingObserver();
        await using var s1 = StubControllerServer.Start(1, observer, handler);
        await using var channel = Channel([s1.Endpoint]);

        for (var i = 0; i < 5; i++)
        {
            var response = (BrokerHeartbeatResponse)await channel.SendAsync(new BrokerHeartbeatRequest(), Timeout, CancellationToken.None);
            Assert.Equal(0, response.ErrorCode);
        }

        Assert.Equal(6, handler.Calls);
        Assert.Equal(2, observer.Opened); // the first, dropped by the server, and its replacement

    }

    [Fact]
    public async Task CancellationStopsRetrying()
    {
        await using var s1 = StubControllerServer.Start(1, Heartbeat(ErrorCode.NotController));
        await using var channel = Channel([s1.Endpoint]);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => channel.SendAsync(new BrokerHeartbeatRequest(), Timeout, cts.Token));
    }

    [Fact]
    public void EndpointsComeFromTheVotersOrTheBootstrapServers()
    {
        var withVoters = Tributary.Broker.Config.BrokerConfig.Parse(new Dictionary<string, string>
        {
            ["node.id"] = "4",
            ["process.roles"] = "broker",
            ["listeners"] = "PLAINTEXT://127.0.0.1:9092",
            ["controller.listener.names"] = "CONTROLLER",
            ["controller.quorum.voters"] = "1@127.0.0.1:19093,2@localhost:19094",
        }, new Dictionary<string, string>());
        Assert.Equal([new ControllerEndpoint(1, "127.0.0.1", 19093), new ControllerEndpoint(2, "localhost", 19094)], ControllerChannel.EndpointsFrom(withVoters));

        var withBootstrap = Tributary.Broker.Config.BrokerConfig.Parse(new Dictionary<string, string>
        {
            ["node.id"] = "4",
            ["process.roles"] = "broker",
            ["listeners"] = "PLAINTEXT://127.0.0.1:9092",
            ["controller.listener.names"] = "CONTROLLER",
            ["controller.quorum.bootstrap.servers"] = "127.0.0.1:19093,127.0.0.1:19094",
        }, new Dictionary<string, string>());
        var endpoints = ControllerChannel.EndpointsFrom(withBootstrap);
        Assert.Equal([19093, 19094], endpoints.Select(e => e.Port));
        Assert.All(endpoints, e => Assert.True(e.Id < 0));
    }

    /// <summary>A loopback port nothing listens on (bound, then released).</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
