using Confluent.Kafka;
using Tributary.Client;
using Tributary.Client.Network;
using KafkaError = Tributary.Protocol.ErrorCode;
using Tributary.Protocol.Messages;
using Tributary.Server.Tests.Support;
using Tributary.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace Tributary.Server.Tests.Cluster;

/// <summary>
/// Partition reassignment (KIP-455) on a 4-broker cluster, as the operator's scale-down will drive
/// it: a partition moves off one broker onto the fourth while it holds data. The request goes to a
/// broker (forwarded to the active controller); the new replica copies the log, joins the ISR, the
/// old one is dropped and deletes its copy, and every record is still there. No client installed
/// here speaks AlterPartitionReassignments, so it goes over Tributary.Client's connection.
/// </summary>
[Trait("Category", "Cluster")]
public sealed class ReassignmentTests(ITestOutputHelper log)
{
    private const int Records = 5_000;

    [ClusterFact]
    public async Task APartitionMovesToAnotherBrokerWithItsData()
    {
        await using var cluster = await ClusterProcess.StartAsync(4, "a,b,c");
        var bootstrap = cluster.BootstrapServers;
        var topic = Topics.UniqueName("moving");
        await ClusterAdmin.CreateTopicAsync(bootstrap, topic, 1, 3, new Dictionary<string, string> { ["min.insync.replicas"] = "2" });
        var before = await ClusterAdmin.WaitForFullIsrAsync(bootstrap, topic, 0);
        Produce(bootstrap, topic);

        var leaving = before.Replicas[0];
        var joining = cluster.Nodes.Select(n => n.Id).Single(id => !before.Replicas.Contains(id));
        var target = before.Replicas.Skip(1).Append(joining).ToList();
        log.WriteLine($"replicas [{string.Join(',', before.Replicas)}] -> [{string.Join(',', target)}]");

        var via = cluster.Nodes.First(n => n.Id != leaving);
        await using var connection = await KafkaConnection.ConnectAsync(new BrokerEndpoint("127.0.0.1", via.Port), new ClientOptions(), CancellationToken.None);
        var alter = (AlterPartitionReassignmentsResponse)await connection.SendAsync(new AlterPartitionReassignmentsRequest
        {
            TimeoutMs = 10_000,
            Topics = [new AlterPartitionReassignmentsRequest.ReassignableTopic
            {
                Name = topic,
                Partitions = [new AlterPartitionReassignmentsRequest.ReassignablePartition { PartitionIndex = 0, Replicas = target }],
            }],
        }, 0, TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.Equal((short)KafkaError.None, alter.ErrorCode);
        Assert.Equal((short)KafkaError.None, Assert.Single(Assert.Single(alter.Responses).Partitions).ErrorCode);

        // Complete: nothing listed as ongoing, the replica set and the ISR are the target.
        await ClusterAdmin.Eventually(async () =>
        {
            var ongoing = (ListPartitionReassignmentsResponse)await connection.SendAsync(new ListPartitionReassignmentsRequest { TimeoutMs = 10_000 },
                0, TimeSpan.FromSeconds(30), CancellationToken.None);
            var partition = ClusterAdmin.Partition(bootstrap, topic, 0);
            return ongoing.Topics.Count == 0
                && partition.Replicas.Order().SequenceEqual(target.Order())
                && partition.InSyncReplicas.Order().SequenceEqual(target.Order());
        }, "the reassignment to complete");

        var after = ClusterAdmin.Partition(bootstrap, topic, 0);
        await ClusterAdmin.Eventually(() => Task.FromResult(cluster.PartitionLogBytes(joining, topic, 0) == cluster.PartitionLogBytes(after.Leader, topic, 0)),
            "the new replica's log to match the leader's");
        await ClusterAdmin.Eventually(() => Task.FromResult(cluster.PartitionLogBytes(leaving, topic, 0) == 0), "the removed replica to delete its log");
        Assert.Equal(Enumerable.Range(0, Records), ClusterAdmin.ReadAll(bootstrap, topic, 0).Select(r => SequenceCheck.ParseSeq(r.Message.Value)));
    }

    private static void Produce(string bootstrap, string topic)
    {
        var config = RealClients.ProducerConfig(bootstrap);
        config.Acks = Acks.All;
        config.EnableIdempotence = true;
        config.LingerMs = 5;
        using var producer = new ProducerBuilder<string, string>(config).Build();
        var errors = 0;
        for (var i = 0; i < Records; i++)
        {
            producer.Produce(topic, new Message<string, string> { Key = "k", Value = $"seq-{i}" }, r =>
            {
                if (r.Error.IsError)
                {
                    Interlocked.Increment(ref errors);
                }
            });
        }

        producer.Flush(TimeSpan.FromMinutes(1));
        Assert.Equal(0, errors);
    }
}
