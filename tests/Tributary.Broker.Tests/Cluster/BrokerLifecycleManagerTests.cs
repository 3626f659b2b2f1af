using Tributary.Broker.Cluster;
using Tributary.Protocol.Primitives;
using Tributary.Protocol;
using Tributary.Protocol.Messages;
using Xunit;

namespace Tributary.Broker.Tests.Cluster;

public sealed class BrokerLifecycleManagerTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static BrokerLifecycleOptions Options() => new()
    {
        NodeId = 3,
        ClusterId = "cluster-x",
        Rack = "zone-b",
        Listeners = [new BrokerRegistrationRequest.Listener { Name = "PLAINTEXT", Host = "127.0.0.1", Port = 9092, SecurityProtocol = 0 }],
        LogDirs = [Guid.NewGuid()],
        HeartbeatInterval = TimeSpan.FromMilliseconds(20),
        RegistrationRetryBackoff = TimeSpan.FromMilliseconds(10),
    };

    /// <summary>A controller that registers at <paramref name="epoch"/> and unfences once the broker reports that offset.</summary>
    private static IApiResponse Controller(IApiRequest request, long epoch) => request switch
    {
        BrokerRegistrationRequest => new BrokerRegistrationResponse { BrokerEpoch = epoch },
        BrokerHeartbeatRequest h => new BrokerHeartbeatResponse
        {
            IsCaughtUp = h.CurrentMetadataOffset >= epoch,
            IsFenced = h.CurrentMetadataOffset < epoch,
            ShouldShutDown = h.WantShutDown,
        },
        _ => throw new InvalidOperationException($"unexpected {request.ApiKey}"),
    };

    [Fact]
    public async Task RegistersHeartbeatsAndIsUnfencedOnceCaughtUp()
    {
        var metadata = new FakeMetadataView();
        metadata.PublishOffset(5);
        var channel = new FakeControllerChannel(r => Controller(r, 10));
        var options = Options();
        await using var manager = new BrokerLifecycleManager(options, channel, metadata);
        manager.Start();

        await WaitUntil(() => channel.Sent<BrokerHeartbeatRequest>().Count() >= 2);
        Assert.True(manager.IsFenced);
        Assert.False(manager.Unfenced.IsCompleted);
        Assert.Equal(BrokerLifecycleState.Recovery, manager.State);
        Assert.Equal(10, manager.BrokerEpoch);

        metadata.PublishOffset(12);
        await manager.Unfenced.WaitAsync(Wait);
        Assert.False(manager.IsFenced);
        Assert.True(manager.IsCaughtUp);
        Assert.Equal(BrokerLifecycleState.Running, manager.State);

        var registration = Assert.Single(channel.Sent<BrokerRegistrationRequest>());
        Assert.Equal((3, "cluster-x", "zone-b", -1L), (registration.BrokerId, registration.ClusterId, registration.Rack, registration.PreviousBrokerEpoch));
        Assert.Equal(options.IncarnationId, registration.IncarnationId);
        Assert.Equal(options.LogDirs, registration.LogDirs);
        Assert.Equal("PLAINTEXT", Assert.Single(registration.Listeners).Name);
        var feature = Assert.Single(registration.Features);
        Assert.Equal("metadata.version", feature.Name);
        Assert.True(feature.MinSupportedVersion <= feature.MaxSupportedVersion);
        Assert.All(channel.Sent<BrokerHeartbeatRequest>(), h => Assert.Equal((3, 10L, false), (h.BrokerId, h.BrokerEpoch, h.WantShutDown)));
        Assert.Contains(channel.Sent<BrokerHeartbeatRequest>(), h => h.CurrentMetadataOffset == 12);
    }

    [Fact]
    public async Task RetriesRegistrationUntilTheControllerAcceptsIt()
    {
        var metadata = new FakeMetadataView();
        metadata.PublishOffset(100);
        var attempts = 0;
        var channel = new FakeControllerChannel(r => r switch
        {
            BrokerRegistrationRequest => Interlocked.Increment(ref attempts) switch
            {
                1 => throw new TimeoutException("no controller"),
                2 => new BrokerRegistrationResponse { ErrorCode = (short)ErrorCode.DuplicateBrokerRegistration },
                _ => new BrokerRegistrationResponse { BrokerEpoch = 50 },
            },
            _ => Controller(r, 50),
        });
        await using var manager = new BrokerLifecycleManager(Options(), channel, metadata);
        manager.Start();

        await manager.Unfenced.WaitAsync(Wait);

        Assert.Equal(3, channel.Sent<BrokerRegistrationRequest>().Count());
        Assert.Equal(50, manager.BrokerEpoch);
    }

    [Fact]
    public async Task RegistersAgainWhenTheControllerLostTheRegistration()
    {
        var metadata = new FakeMetadataView();
        metadata.PublishOffset(100);
        var epoch = 10L;
        var lost = 0;
        var channel = new FakeControllerChannel(r =>
        {
            if (r is BrokerHeartbeatRequest h && h.BrokerEpoch == 10 && Interlocked.Exchange(ref lost, 1) == 0)
            {
                return new BrokerHeartbeatResponse { ErrorCode = (short)ErrorCode.StaleBrokerEpoch };
            }

            if (r is BrokerRegistrationRequest)
            {
                var given = Interlocked.Read(ref epoch);
                Interlocked.Exchange(ref epoch, 20);
                return new BrokerRegistrationResponse { BrokerEpoch = given };
            }

            return Controller(r, Interlocked.Read(ref epoch));
        });
        await using var manager = new BrokerLifecycleManager(Options(), channel, metadata);
        manager.Start();

        await WaitUntil(() => manager.BrokerEpoch == 20 && !manager.IsFenced);

        var registrations = channel.Sent<BrokerRegistrationRequest>().ToList();
        Assert.Equal(2, registrations.Count);
        Assert.Equal(-1, registrations[0].PreviousBrokerEpoch);
        Assert.Equal(10, registrations[1].PreviousBrokerEpoch);
        Assert.Equal(registrations[0].IncarnationId, registrations[1].IncarnationId);
        Assert.Contains(channel.Sent<BrokerHeartbeatRequest>(), h => h.BrokerEpoch == 20);
    }

    [Fact]
    public async Task ControlledShutdownWaitsUntilTheControllerHasMovedLeadershipAway()
    {
        var metadata = new FakeMetadataView();
        metadata.PublishOffset(100);
        var shutdownHeartbeats = 0;
        var channel = new FakeControllerChannel(r => r switch
        {
            // Leadership takes a few heartbeats to move away.
            BrokerHeartbeatRequest { WantShutDown: true } => new BrokerHeartbeatResponse
            {
                IsFenced = false,
                IsCaughtUp = true,
                ShouldShutDown = Interlocked.Increment(ref shutdownHeartbeats) >= 3,
            },
            _ => Controller(r, 10),
        });
        await using var manager = new BrokerLifecycleManager(Options(), channel, metadata);
        manager.Start();
        await manager.Unfenced.WaitAsync(Wait);

        var granted = await manager.ControlledShutdownAsync(Wait, CancellationToken.None);

        Assert.True(granted);
        Assert.True(shutdownHeartbeats >= 3);
        Assert.Equal(BrokerLifecycleState.ShuttingDown, manager.State);
    }

    [Fact]
    public async Task ControlledShutdownGivesUpAfterTheTimeout()
    {
        var metadata = new FakeMetadataView();
        metadata.PublishOffset(100);
        var channel = new FakeControllerChannel(r => r is BrokerHeartbeatRequest
            ? new BrokerHeartbeatResponse { IsFenced = false, IsCaughtUp = true, ShouldShutDown = false }
            : Controller(r, 10));
        await using var manager = new BrokerLifecycleManager(Options(), channel, metadata);
        manager.Start();
        await manager.Unfenced.WaitAsync(Wait);

        var granted = await manager.ControlledShutdownAsync(TimeSpan.FromMilliseconds(200), CancellationToken.None);

        Assert.False(granted);
        Assert.Equal(BrokerLifecycleState.PendingControlledShutdown, manager.State);
        Assert.Contains(channel.Sent<BrokerHeartbeatRequest>(), h => h.WantShutDown);
    }

    [Fact]
    public async Task ControlledShutdownBeforeRegistrationHasNothingToHandOver()
    {
        var channel = new FakeControllerChannel(_ => throw new TimeoutException("no controller"));
        await using var manager = new BrokerLifecycleManager(Options(), channel, new FakeMetadataView());
        manager.Start();

        Assert.False(await manager.ControlledShutdownAsync(Wait, CancellationToken.None));
        Assert.Equal(-1, manager.BrokerEpoch);
    }

    [Fact]
    public void DirectoryIdsInKafkaFormatParseBackToTheSameGuid()
    {
        var id = Guid.NewGuid();
        Assert.True(KafkaUuid.TryParse(KafkaUuid.Format(id), out var parsed));
        Assert.Equal(id, parsed);
        Assert.False(KafkaUuid.TryParse("not-a-uuid", out _));
        Assert.False(KafkaUuid.TryParse("!!!!!!!!!!!!!!!!!!!!!!", out _));
        Assert.False(KafkaUuid.TryParse(null, out _));
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached in time");
            await Task.Delay(10);
        }
    }
}
