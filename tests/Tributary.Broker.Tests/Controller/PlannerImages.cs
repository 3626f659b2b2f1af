using Tributary.Broker.Metadata;
using Tributary.Protocol.Messages;
using Tributary.Protocol.Metadata;

namespace Tributary.Broker.Tests.Controller;

/// <summary>Images for planner tests: brokers 1-4 unfenced, one topic "t" with the partitions given.</summary>
internal static class PlannerImages
{
    public static readonly Guid TopicId = new("6b1f4a0e-0000-4000-8000-000000000001");

    public static MetadataImage WithPartitions(int count, Func<int, (int[] Replicas, int Leader, int[] Isr)> partition, params int[] fenced)
    {
        var records = new List<IMetadataRecord>();
        foreach (var id in new[] { 1, 2, 3, 4 })
        {
            records.Add(new RegisterBrokerRecord { BrokerId = id, BrokerEpoch = id, IncarnationId = Guid.NewGuid(), Fenced = fenced.Contains(id) });
        }

        records.Add(new TopicRecord { Name = "t", TopicId = TopicId });
        for (var i = 0; i < count; i++)
        {
            var (replicas, leader, isr) = partition(i);
            records.Add(new PartitionRecord { TopicId = TopicId, PartitionId = i, Replicas = [.. replicas], Leader = leader, Isr = [.. isr], LeaderEpoch = 5, PartitionEpoch = 7 });
        }

        return MetadataDelta.Apply(MetadataImage.Empty("planner"), records, records.Count - 1);
    }

    public static MetadataImage One(int[] replicas, int leader, int[] isr, params int[] fenced) =>
        WithPartitions(1, _ => (replicas, leader, isr), fenced);
}
