using Tributary.Server.Tests.Support;
using Tributary.TestSupport;

namespace Tributary.Server.Tests.Cluster;

/// <summary>With brokers in racks a, b, c, every partition of an RF=3 topic has one replica per rack.</summary>
[Trait("Category", "Cluster")]
public sealed class RackPlacementTests
{
    [ClusterFact]
    public async Task EveryPartitionOfAnRf3TopicSpansThreeRacks()
    {
        // Six brokers, two per rack, so a rack-blind placement would often put two replicas in one rack.
        await using var cluster = await ClusterProcess.StartAsync(6, "a,b,c");
        var bootstrap = cluster.BootstrapServers;
        var topic = Topics.UniqueName("racks");
        await ClusterAdmin.CreateTopicAsync(bootstrap, topic, 24, 3);

        var metadata = ClusterAdmin.Topic(bootstrap, topic);
        Assert.Equal(24, metadata.Partitions.Count);
        foreach (var partition in metadata.Partitions)
        {
            Assert.Equal(3, partition.Replicas.Length);
            var racks = partition.Replicas.Select(id => cluster.Node(id).Rack).ToList();
            Assert.Equal(3, racks.Distinct().Count());
        }

        // Leadership is spread too: every broker leads some partition.
        Assert.Equal(6, metadata.Partitions.Select(p => p.Leader).Distinct().Count());
    }
}
