using Tributary.Client.Network;
using Tributary.Client.Tests.Support;
using Tributary.Protocol;
using Tributary.Protocol.Messages;

namespace Tributary.Client.Tests.Network;

public sealed class KafkaConnectionTests
{
    private static ClientOptions Options(string endpoint, int timeoutMs = 5000) => new()
    {
        BootstrapServers = endpoint,
        RequestTimeout = TimeSpan.FromMilliseconds(timeoutMs),
    };

    [Fact]
    public async Task PipelinedResponsesAreMatchedByCorrelationId()
    {
        // Heartbeats for generation N are answered after a delay that shrinks with N: the last sent arrives first.
        await using var broker = new ScriptedBroker(async (_, request) =>
        {
            var heartbeat = (HeartbeatRequest)request;
            await Task.Delay(300 - heartbeat.GenerationId * 100);
            return new HeartbeatResponse { ThrottleTimeMs = heartbeat.GenerationId };
        });
        await using var connection = await KafkaConnection.ConnectAsync(BrokerEndpoint.Parse(broker.Endpoint), Options(broker.Endpoint), default);
        Assert.True(connection.Versions.Supports(ApiKey.Heartbeat, 4));
        var version = connection.Versions.Select(ApiKey.Heartbeat, 0, 4);
        Assert.Equal(4, version);
        var sends = Enumerable.Range(0, 3)
            .Select(i => connection.SendAsync(new HeartbeatRequest { GroupId = "g", GenerationId = i, MemberId = "m" }, version, TimeSpan.FromSeconds(5), default))
            .ToList();
        var responses = await Task.WhenAll(sends);
        Assert.Equal(new[] { 0, 1, 2 }, responses.Select(r => ((HeartbeatResponse)r).ThrottleTimeMs));
    }

    [Fact]
    public async Task TimeoutFailsTheRequestAndClosesTheConnection()
    {
        var release = new TaskCompletionSource<IApiResponse?>();
        await using var broker = new ScriptedBroker((_, _) => release.Task);
        await using var connection = await KafkaConnection.ConnectAsync(BrokerEndpoint.Parse(broker.Endpoint), Options(broker.Endpoint), default);
        var error = await Assert.ThrowsAsync<KafkaException>(() =>
            connection.SendAsync(new HeartbeatRequest { GroupId = "g" }, 4, TimeSpan.FromMilliseconds(100), default));
        Assert.Equal(ErrorCode.RequestTimedOut, error.ErrorCode);
        Assert.True(error.IsRetriable);
        Assert.False(connection.IsOpen);
        release.SetResult(new HeartbeatResponse());
    }

    [Fact]
    public async Task ABrokerThatHangsUpFailsEveryPendingRequest()
    {
        var gate = new TaskCompletionSource();
        await using var broker = new ScriptedBroker(async (_, request) =>
        {
            await gate.Task;
            if (((HeartbeatRequest)request).GenerationId == 1)
            {
                return null;
            }

            await Task.Delay(200);
            return new HeartbeatResponse();
        });
        await using var connection = await KafkaConnection.ConnectAsync(BrokerEndpoint.Parse(broker.Endpoint), Options(broker.Endpoint), default);
        var first = connection.SendAsync(new HeartbeatRequest { GenerationId = 1 }, 4, TimeSpan.FromSeconds(10), default);
        var second = connection.SendAsync(new HeartbeatRequest { GenerationId = 2 }, 4, TimeSpan.FromSeconds(10), default);
        gate.SetResult();
        Assert.Equal(ErrorCode.NetworkException, (await Assert.ThrowsAsync<KafkaException>(() => first)).ErrorCode);
        Assert.Equal(ErrorCode.NetworkException, (await Assert.ThrowsAsync<KafkaException>(() => second)).ErrorCode);
        Assert.False(connection.IsOpen);
        var late = await Assert.ThrowsAsync<KafkaException>(() => connection.SendAsync(new HeartbeatRequest(), 4, TimeSpan.FromSeconds(1), default));
        Assert.Equal(ErrorCode.NetworkException, late.ErrorCode);
    }

    [Fact]
    public async Task ConnectFailureIsANetworkException()
    {
        var error = await Assert.ThrowsAsync<KafkaException>(() => KafkaConnection.ConnectAsync(new BrokerEndpoint("127.0.0.1", 1), Options("127.0.0.1:1"), default));
        Assert.Equal(ErrorCode.NetworkException, error.ErrorCode);
    }

    [Fact]
    public void VersionSelectionIntersectsBothSides()
    {
        var table = new ApiVersionTable([new(ApiKey.Fetch, new ApiVersionRange(0, 11)), new(ApiKey.Metadata, new ApiVersionRange(0, 2)), new((ApiKey)999, new ApiVersionRange(0, 1))]);
        Assert.Equal(11, table.Select(ApiKey.Fetch, 4, 12));
        Assert.Equal(2, table.Select(ApiKey.Metadata, 1, 12));
        Assert.Equal(ErrorCode.UnsupportedVersion, Assert.Throws<KafkaException>(() => table.Select(ApiKey.Metadata, 4, 12)).ErrorCode);
        var missing = Assert.Throws<KafkaException>(() => table.Select(ApiKey.CreateTopics, 0, 7));
        Assert.Contains("CreateTopics", missing.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("host:9092", "host", 9092)]
    [InlineData(" 10.0.0.1:1 ", "10.0.0.1", 1)]
    [InlineData("[::1]:9093", "::1", 9093)]
    public void EndpointsParse(string text, string host, int port) => Assert.Equal(new BrokerEndpoint(host, port), BrokerEndpoint.Parse(text));

    [Theory]
    [InlineData("host")]
    [InlineData("host:")]
    [InlineData("host:0")]
    [InlineData("host:70000")]
    [InlineData(":9092")]
    public void BadEndpointsAreRejected(string text) => Assert.Throws<FormatException>(() => BrokerEndpoint.Parse(text));

    [Fact]
    public void BackoffDoublesUpToTheCap()
    {
        var backoff = new Client.Cluster.RetryBackoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500));
        Assert.Equal(new[] { 100, 200, 400, 500, 500 }, Enumerable.Range(0, 5).Select(i => (int)backoff.Delay(i).TotalMilliseconds));
    }
}
