using System.Collections.Immutable;
using Tributary.Broker.Coordination;
using Tributary.Broker.Metadata;

namespace Tributary.Broker.Tests.GroupHandlers;

/// <summary>A metadata view the test publishes images to.</summary>
public sealed class TestMetadataView(MetadataImage initial) : IMetadataView
{
    public MetadataImage Current { get; private set; } = initial;

    public event Action<MetadataImage, MetadataImage>? Changed;

    public void Publish(MetadataImage next)
    {
        var previous = Current;
        Current = next;
        Changed?.Invoke(previous, next);
    }

    /// <summary>
    /// An image with broker 1 (PLAINTEXT on 127.0.0.1:9092), <c>__consumer_offsets</c> with
    /// <paramref name="offsetsPartitions"/> partitions led by <paramref name="offsetsLeader"/>
    /// (none when <paramref name="offsetsPartitions"/> is 0), and the given data topics led by broker 1.
    /// </summary>
    public static MetadataImage Image(int offsetsPartitions, int offsetsLeader, params (string Name, int Partitions)[] topics)
    {
        var builder = ImmutableSortedDictionary.CreateBuilder<string, TopicImage>(StringComparer.Ordinal);
        if (offsetsPartitions > 0)
        {
            builder[GroupCoordinatorService.OffsetsTopic] = Topic(GroupCoordinatorService.OffsetsTopic, offsetsPartitions, offsetsLeader);
        }

        foreach (var (name, partitions) in topics)
        {
            builder[name] = Topic(name, partitions, 1);
        }

        var brokers = ImmutableSortedDictionary<int, BrokerImage>.Empty
            .Add(1, new BrokerImage(1, null, [new BrokerEndpoint("PLAINTEXT", "127.0.0.1", 9092, "PLAINTEXT")], false, 1))
            .Add(2, new BrokerImage(2, null, [new BrokerEndpoint("PLAINTEXT", "127.0.0.2", 9092, "PLAINTEXT")], false, 1));
        var topicsById = builder.Values.ToImmutableDictionary(t => t.Id, t => t.Name);
        return MetadataImage.Empty("test-cluster") with { Topics = builder.ToImmutable(), TopicNamesById = topicsById, Brokers = brokers, ControllerId = 1 };
    }

    /// <summary>The same image with partition <paramref name="partition"/> of the offsets topic led by <paramref name="leader"/>.</summary>
    public static MetadataImage WithOffsetsLeader(MetadataImage image, int partition, int leader)
    {
        var topic = image.Topics[GroupCoordinatorService.OffsetsTopic];
        var partitions = topic.Partitions.ToDictionary(p => p.Key, p => p.Value);
        partitions[partition] = partitions[partition] with { Leader = leader, LeaderEpoch = partitions[partition].LeaderEpoch + 1 };
        return image with { Topics = image.Topics.SetItem(topic.Name, topic with { Partitions = partitions }) };
    }

    private static TopicImage Topic(string name, int partitions, int leader)
    {
        var map = new Dictionary<int, PartitionImage>();
        for (var p = 0; p < partitions; p++)
        {
            map[p] = new PartitionImage(p, leader, 0, 0, [leader], [leader]);
        }

        return new TopicImage(name, Guid.NewGuid(), map, new Dictionary<string, string>());
    }
}
