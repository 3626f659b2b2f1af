using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Tributary.Server.Tests.Support;
using Tributary.TestSupport;

namespace Tributary.Server.Tests.Cluster;

/// <summary>ACLs travel through the metadata quorum: one created through a broker is enforced by every broker.</summary>
public sealed class AclClusterTests
{
    [ClusterFact]
    [Trait("Category", "Cluster")]
    public async Task An_acl_created_through_one_broker_is_enforced_by_the_others()
    {
        await using var cluster = await ClusterProcess.StartAsync(2, "a,b", overrides: AclBrokerFixture.Config);
        var first = cluster.Node(1).BootstrapAddress;
        var second = cluster.Node(2).BootstrapAddress;
        var topic = Topics.UniqueName("acl-cluster");
        await Topics.CreateAsync(cluster.BootstrapServers, topic, 4);
        // Describe stays allowed (a topic with ACLs is closed to whatever they do not allow), writes are denied.
        await Acls.CreateAsync(first,
            Acls.Topic(topic, AclOperation.Describe, AclPermissionType.Allow),
            Acls.Topic(topic, AclOperation.Write, AclPermissionType.Deny));

        // Broker 2 learns the ACL when it replays the metadata log.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        var seen = await Acls.DescribeAsync(second, Acls.TopicFilter(topic, ResourcePatternType.Match));
        while (seen.Count < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
            seen = await Acls.DescribeAsync(second, Acls.TopicFilter(topic, ResourcePatternType.Match));
        }

        Assert.Equal(2, seen.Count);
        Assert.Contains(seen, b => b.Entry.PermissionType == AclPermissionType.Deny && b.Entry.Operation == AclOperation.Write);

        // Every partition refuses the write, whichever broker leads it.
        using var admin = new AdminClientBuilder(RealClients.AdminConfig(second)).Build();
        var leaders = admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions.Select(p => p.Leader).Distinct().ToList();
        Assert.Equal(2, leaders.Count);
        using var producer = new ProducerBuilder<string, string>(RealClients.ProducerConfig(second)).Build();
        for (var partition = 0; partition < 4; partition++)
        {
            var e = await Assert.ThrowsAsync<ProduceException<string, string>>(() =>
                producer.ProduceAsync(new TopicPartition(topic, partition), new Message<string, string> { Key = "k", Value = "v" }));
            Assert.Equal(ErrorCode.TopicAuthorizationFailed, e.Error.Code);
        }
    }
}
