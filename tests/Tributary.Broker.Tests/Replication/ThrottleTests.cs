using Tributary.Broker.Replication;
using Tributary.Broker.Tests.Data;
using Xunit;

namespace Tributary.Broker.Tests.Replication;

public sealed class ThrottleTests
{
    [Fact]
    public void ThrottledReplicasParseKafkasFormat()
    {
        var list = ThrottledReplicas.Parse("0:1, 0:2,1:3,bad,4:");
        Assert.True(list.Contains(0, 1));
        Assert.True(list.Contains(0, 2));
        Assert.True(list.Contains(1, 3));
        Assert.False(list.Contains(1, 1));
        Assert.True(ThrottledReplicas.Parse("*").Contains(9, 9));
        Assert.False(ThrottledReplicas.Parse("").Contains(0, 0));
        Assert.False(ThrottledReplicas.Parse(null).Contains(0, 0));
    }

    [Fact]
    public void TokenBucketLetsOneReadOverdrawThenWaitsForTheDebt()
    {
        var clock = new ManualClock();
        var bucket = new TokenBucket(1000, clock);
        Assert.True(bucket.TryAcquire());
        bucket.Record(2500);
        Assert.False(bucket.TryAcquire());
        Assert.True(bucket.TimeUntilAvailable() > TimeSpan.FromSeconds(1.4));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(bucket.TryAcquire());
        clock.Advance(TimeSpan.FromSeconds(0.6));
        Assert.True(bucket.TryAcquire());
        clock.Advance(TimeSpan.FromHours(1));
        bucket.Record(999);
        Assert.True(bucket.TryAcquire()); // refill is capped at one second's worth
        bucket.Record(2);
        Assert.False(bucket.TryAcquire());
    }

    [Fact]
    public void OnlyListedReplicasOutsideTheIsrAreThrottledWhenARateIsSet()
    {
        var clock = new ManualClock();
        var view = new TestMetadataView(Images.Empty()
            .WithTopic("moving", leader: 1, isr: [1], replicas: [1, 2, 0],
                configs: new Dictionary<string, string> { [ReplicationThrottle.LeaderReplicasKey] = "0:1", [ReplicationThrottle.FollowerReplicasKey] = "0:0" })
            .WithTopic("other", leader: 1, isr: [1], replicas: [1, 0]));
        var onLeader = new ReplicationThrottle(1, view, clock);
        var onFollower = new ReplicationThrottle(0, view, clock);
        Assert.False(onLeader.IsLeaderThrottled("moving", 0, 2)); // no rate set yet
        Assert.False(onFollower.IsFollowerThrottled("moving", 0));

        view.Publish(view.Current with
        {
            BrokerConfigs = view.Current.BrokerConfigs.SetItem(ReplicationThrottle.LeaderRateKey, "100").SetItem(ReplicationThrottle.FollowerRateKey, "100"),
        });
        Assert.True(onLeader.IsLeaderThrottled("moving", 0, 2));
        Assert.False(onLeader.IsLeaderThrottled("moving", 0, 1)); // in sync
        Assert.False(onLeader.IsLeaderThrottled("other", 0, 0)); // not listed
        Assert.True(onFollower.IsFollowerThrottled("moving", 0));
        Assert.False(onFollower.IsFollowerThrottled("other", 0));
        Assert.True(onLeader.TryAcquireLeader());
        onLeader.RecordLeaderBytes(500);
        Assert.False(onLeader.TryAcquireLeader());
        Assert.True(onFollower.TryAcquireFollower()); // separate quotas
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.True(onLeader.TryAcquireLeader());
    }
}
