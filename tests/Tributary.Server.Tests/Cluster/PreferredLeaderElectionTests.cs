using Tributary.Client;
using Tributary.Client.Network;
using Tributary.Protocol;
using Tributary.Protocol.Messages;
using Tributary.Server.Tests.Support;
using Tributary.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace Tributary.Server.Tests.Cluster;

/// <summary>
/// Preferred-leader election (ElectLeaders, KIP-460) on a 3-broker cluster: after a controlled
/// shutdown moved leadership off the preferred replica and it came back, an ElectLeaders request
/// sent to a broker that is NOT the active controller (so it must forward it) puts leadership
/// back on the preferred replica. No client installed here speaks ElectLeaders (librdkafka 2.0.2
/// and kafka-python 2.0.2 lack it), so the request goes over Tributary.Client's connection.
/// </summary>
[Trait("Category", "Cluster")]
public sealed class PreferredLeaderElectionTests(ITestOutputHelper log)
{
    [ClusterFact]
    public async Task ElectLeadersSentToAnyBrokerRestoresThePreferredLeader()
    {
        await using var cluster = await ClusterProcess.StartAsync(3, "a,b,c");
        var bootstrap = cluster.BootstrapServers;
        var topic = Topics.UniqueName("elect");
        await ClusterAdmin.CreateTopicAsync(bootstrap, topic, 1, 3);
        var before = await ClusterAdmin.WaitForFullIsrAsync(bootstrap, topic, 0);
        var preferred = before.Replicas[0];
        Assert.Equal(preferred, before.Leader);

        // A clean stop moves leadership away (controlled shutdown); the broker comes back as a follower.
        await cluster.StopAsync(preferred);
        await cluster.RestartAsync(preferred);
        var moved = await ClusterAdmin.WaitForFullIsrAsync(bootstrap, topic, 0);
        Assert.NotEqual(preferred, moved.Leader);

        var active = await QuorumAdmin.WaitForActiveControllerAsync(cluster, log.WriteLine);
        var via = cluster.Nodes.First(n => n.Id != active);
        log.WriteLine($"preferred {preferred}, leader after restart {moved.Leader}, active controller {active}, ElectLeaders sent to {via.Id}");
        await using var connection = await KafkaConnection.ConnectAsync(new BrokerEndpoint("127.0.0.1", via.Port), new ClientOptions(), CancellationToken.None);
        var request = new ElectLeadersRequest
        {
            ElectionType = 0, // preferred
            TopicPartitions = [new ElectLeadersRequest.TopicPartitionsData { Topic = topic, Partitions = [0] }],
            TimeoutMs = 10_000,
        };
        var response = (ElectLeadersResponse)await connection.SendAsync(request, 2, TimeSpan.FromSeconds(30), CancellationToken.None);

        Assert.Equal((short)ErrorCode.None, response.ErrorCode);
        var result = Assert.Single(Assert.Single(response.ReplicaElectionResults).PartitionResult);
        Assert.Equal((short)ErrorCode.None, result.ErrorCode);
        await ClusterAdmin.Eventually(() => Task.FromResult(ClusterAdmin.Partition(bootstrap, topic, 0).Leader == preferred),
            $"leadership of {topic}-0 back on its preferred replica {preferred}");
    }
}
