using Tributary.Protocol;
using Xunit;

namespace Tributary.Broker.Tests.Controller;

/// <summary>Registration, heartbeats, unfencing, session expiry and controlled shutdown on the active controller.</summary>
public class BrokerLifecycleTests
{
    [Fact]
    public async Task RegisteredBrokerIsFencedUntilItsHeartbeatCatchesUp()
    {
        using var h = new ControllerHarness();
        await h.ActivateAsync();
        h.Store.Gap = 3; // control records between batches: the epoch is predicted, the catch-up point is real
        var epoch = await h.RegisterAsync(1);

        var broker = h.Image.Brokers[1];
        Assert.True(broker.Fenced);
        Assert.Equal(epoch, broker.Epoch);
        Assert.True(broker.RegistrationOffset >= epoch);

        var behind = await h.HeartbeatAsync(1, offset: broker.RegistrationOffset - 1);
        Assert.False(behind.IsCaughtUp);
        Assert.True(behind.IsFenced);
        Assert.True(h.Image.Brokers[1].Fenced);

        var caughtUp = await h.HeartbeatAsync(1, offset: broker.RegistrationOffset);
        Assert.True(caughtUp.IsCaughtUp);
        Assert.False(caughtUp.IsFenced);
        Assert.False(h.Image.Brokers[1].Fenced);
    }

    [Fact]
    public async Task RegistrationChecksClusterIdIncarnationAndEpochs()
    {
        using var h = new ControllerHarness();
        await h.ActivateAsync();
        var wrongCluster = await h.Controller.RegisterBrokerAsync(ControllerHarness.Registration(1, Guid.NewGuid(), clusterId: "other"), CancellationToken.None);
        Assert.Equal(ErrorCode.InconsistentClusterId, (ErrorCode)wrongCluster.ErrorCode);

        var first = await h.RegisterAsync(1);
        var duplicate = await h.Controller.RegisterBrokerAsync(ControllerHarness.Registration(1, Guid.NewGuid()), CancellationToken.None);
        Assert.Equal(ErrorCode.DuplicateBrokerRegistration, (ErrorCode)duplicate.ErrorCode);

        // Once the session has expired, a new incarnation may take the id; the epoch moves on.
        h.Clock.Advance(TimeSpan.FromMilliseconds(h.Config.BrokerSessionTimeoutMs + 1));
        var second = await h.RegisterAsync(1);
        Assert.True(second > first);

        var stale = await h.Controller.HeartbeatAsync(new() { BrokerId = 1, BrokerEpoch = first, CurrentMetadataOffset = h.Image.Offset }, CancellationToken.None);
        Assert.Equal(ErrorCode.StaleBrokerEpoch, (ErrorCode)stale.ErrorCode);
        var unknown = await h.Controller.HeartbeatAsync(new() { BrokerId = 9, BrokerEpoch = 1 }, CancellationToken.None);
        Assert.Equal(ErrorCode.StaleBrokerEpoch, (ErrorCode)unknown.ErrorCode);
    }

    [Fact]
    public async Task UnsupportedMetadataVersionIsRefused()
    {
        using var h = new ControllerHarness();
        await h.ActivateAsync();
        var request = ControllerHarness.Registration(1, Guid.NewGuid());
        request.Features[0].MaxSupportedVersion = 3;
        var response = await h.Controller.RegisterBrokerAsync(request, CancellationToken.None);
        Assert.Equal(ErrorCode.UnsupportedVersion, (ErrorCode)response.ErrorCode);
        Assert.False(h.Image.Brokers.ContainsKey(1));
    }

    [Fact]
    public async Task SessionTimeoutFencesTheBrokerAndMovesItsLeadershipsInOneCommit()
    {
        using var h = new ControllerHarness();
        await h.ActivateAsync();
        await h.StartBrokersAsync(1, 2, 3);
        await h.CreateTopicAsync("t", [1, 2, 3], [2, 3, 1], [3, 1, 2]);
        var before = h.Partition("t", 0);
        var commits = h.Store.Commits;

        await h.ExpireAsync(1, 2, 3);

        Assert.Equal(commits + 1, h.Store.Commits);
        var p0 = h.Partition("t", 0);
        Assert.Equal(2, p0.Leader); // next in replica order among the ISR
        Assert.Equal(before.LeaderEpoch + 1, p0.LeaderEpoch);
        Assert.Equal([2, 3], p0.Isr);
        Assert.Equal([2, 3], h.Partition("t", 1).Isr);
        Assert.Equal(2, h.Partition("t", 1).Leader);
        Assert.Equal(3, h.Partition("t", 2).Leader);
        Assert.DoesNotContain(h.Image.Topics.Values.SelectMany(t => t.Partitions.Values), p => p.Isr.Contains(1));
    }

    [Fact]
    public async Task OfflinePartitionKeepsItsLastIsrMemberAndComesBackWithIt()
    {
        using var h = new ControllerHarness();
        await h.ActivateAsync();
        await h.StartBrokersAsync(1, 2);
        await h.CreateTopicAsync("solo", [2]);

        await h.ExpireAsync(2, 1);
        var offline = h.Partition("solo", 0);
        Assert.Equal(-1, offline.Leader);
        Assert.Equal([2], offline.Isr);

        // The restarted broker registers (its old session is gone) and is unfenced once caught up.
        await h.RegisterAsync(2);
        Assert.Equal(-1, h.Partition("solo", 0).Leader);
        var response = await h.HeartbeatAsync(2);
        Assert.False(response.IsFenced);
        var back = h.Partition("solo", 0);
        Assert.Equal(2, back.Leader);
        Assert.Equal(offline.LeaderEpoch + 1, back.LeaderEpoch);
    }

    [Fact]
    public async Task UncleanElectionOnFencingOnlyWhenTheTopicAllowsIt()
    {
        using var h = new ControllerHarness(("unclean.leader.election.enable", "true"));
        await h.ActivateAsync();
        await h.StartBrokersAsync(1, 2);
        await h.CreateTopicAsync("t", [1, 2]);
        // Leader 1 shrank the ISR to itself, then died: only an unclean election can bring 2 in.
        var p = h.Partition("t", 0);
        var shrink = await h.Controller.AlterPartitionAsync(AlterPartitionTests.Request(h, "t", 0, 1, [1], p), 2, CancellationToken.None);
        Assert.Equal(ErrorCode.None, (ErrorCode)shrink.Topics[0].Partitions[0].ErrorCode);

        await h.ExpireAsync(1, 2);
        var after = h.Partition("t", 0);
        Assert.Equal(2, after.Leader);
        Assert.Equal([2], after.Isr);
        Assert.Equal(1, after.LeaderRecoveryState);
    }

    [Fact]
    public async Task ControlledShutdownMovesLeadershipsThenTellsTheBrokerToStop()
    {
        using var h = new ControllerHarness();
        await h.ActivateAsync();
        await h.StartBrokersAsync(1, 2, 3);
        await h.CreateTopicAsync("t", [1, 2, 3], [2, 1, 3]);
        await h.CreateTopicAsync("solo", [1]);

        var first = await h.HeartbeatAsync(1, wantShutDown: true);
        Assert.False(first.ShouldShutDown);
        Assert.False(first.IsFenced);
        Assert.True(h.Image.Brokers[1].InControlledShutdown);
        Assert.Equal(2, h.Partition("t", 0).Leader);
        Assert.Equal([2, 3], h.Partition("t", 0).Isr);
        Assert.Equal([2, 3], h.Partition("t", 1).Isr);
        var solo = h.Partition("solo", 0);
        Assert.Equal(-1, solo.Leader);
        Assert.Equal([1], solo.Isr); // never an empty ISR

        // The other brokers have not yet seen the change: keep waiting.
        Assert.False((await h.HeartbeatAsync(1, wantShutDown: true)).ShouldShutDown);

        await h.HeartbeatAsync(2);
        await h.HeartbeatAsync(3);
        var done = await h.HeartbeatAsync(1, wantShutDown: true);
        Assert.True(done.ShouldShutDown);
        Assert.True(done.IsFenced);
        Assert.True(h.Image.Brokers[1].Fenced);

        // A clean shutdown ends the session: the next incarnation registers at once.
        await h.RegisterAsync(1);
        Assert.False((await h.HeartbeatAsync(1)).IsFenced);
        Assert.Equal(1, h.Partition("solo", 0).Leader);
    }

    [Fact]
    public async Task WantFenceFencesAnUnfencedBroker()
    {
        using var h = new ControllerHarness();
        await h.ActivateAsync();
        await h.StartBrokersAsync(1, 2);
        await h.CreateTopicAsync("t", [1, 2]);
        var response = await h.HeartbeatAsync(1, wantFence: true);
        Assert.True(response.IsFenced);
        Assert.True(h.Image.Brokers[1].Fenced);
        Assert.Equal(2, h.Partition("t", 0).Leader);
    }

    [Fact]
    public async Task ActivationResetsSessionsAndGivesEveryBrokerAFullTimeout()
    {
        using var h = new ControllerHarness();
        await h.ActivateAsync();
        await h.StartBrokersAsync(1, 2);
        Assert.True(h.Clock.TimersCreated >= 1);

        h.Quorum.SetActive(false);
        await WaitUntil(() => !h.Controller.Sessions.HasValidSession(1, 0));
        Assert.Equal(0, await h.Controller.FenceExpiredBrokersAsync(CancellationToken.None));

        h.Clock.Advance(TimeSpan.FromMilliseconds(h.Config.BrokerSessionTimeoutMs * 3));
        h.Quorum.SetActive(true);
        await WaitUntil(() => h.Controller.Sessions.Get(1) is not null);
        Assert.Equal(0, await h.Controller.FenceExpiredBrokersAsync(CancellationToken.None));
        Assert.False(h.Image.Brokers[1].Fenced);

        h.Clock.Advance(TimeSpan.FromMilliseconds(h.Config.BrokerSessionTimeoutMs + 1));
        Assert.Equal(2, await h.Controller.FenceExpiredBrokersAsync(CancellationToken.None));
    }

    [Fact]
    public async Task TheSessionTimerFencesExpiredBrokersAndStopsWhenLeadershipIsLost()
    {
        using var h = new ControllerHarness(("auto.leader.rebalance.enable", "false"));
        await h.ActivateAsync();
        await h.StartBrokersAsync(1);
        Assert.Equal(1, h.Clock.LiveTimers); // sessions only: rebalancing is off

        h.Clock.FireTimers();
        Assert.False(h.Image.Brokers[1].Fenced);

        h.Clock.Advance(TimeSpan.FromMilliseconds(h.Config.BrokerSessionTimeoutMs + 1));
        h.Clock.FireTimers();
        await WaitUntil(() => h.Image.Brokers[1].Fenced);

        h.Quorum.SetActive(false);
        await WaitUntil(() => h.Clock.LiveTimers == 0);
    }

    internal static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 400 && !condition(); i++)
        {
            await Task.Delay(5);
        }

        Assert.True(condition());
    }
}
