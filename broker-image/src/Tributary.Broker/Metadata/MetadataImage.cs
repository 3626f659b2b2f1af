using System.Collections.Immutable;
using Tributary.Broker.Security;

namespace Tributary.Broker.Metadata;

/// <summary>
/// An immutable snapshot of cluster metadata, the result of replaying the metadata log up to
/// <see cref="Offset"/>. Request handlers read the current image without locks; every change
/// publishes a new image (see <see cref="IMetadataView"/>). <see cref="BrokerConfigs"/> holds the
/// dynamic broker configs set for every broker (ConfigRecord with resource name ""); those set for
/// one broker are in <see cref="PerBrokerConfigs"/>.
/// </summary>
public sealed record MetadataImage(
    string ClusterId,
    long Offset,
    int ControllerId,
    ImmutableSortedDictionary<string, TopicImage> Topics,
    ImmutableDictionary<Guid, string> TopicNamesById,
    ImmutableSortedDictionary<int, BrokerImage> Brokers,
    ImmutableSortedDictionary<string, string> BrokerConfigs,
    long NextProducerId)
{
    public static MetadataImage Empty(string clusterId) => new(
        clusterId,
        -1,
        -1,
        ImmutableSortedDictionary.Create<string, TopicImage>(StringComparer.Ordinal),
        ImmutableDictionary<Guid, string>.Empty,
        ImmutableSortedDictionary<int, BrokerImage>.Empty,
        ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal),
        0);

    /// <summary>Dynamic broker configs set for one broker (ConfigRecord resource name = its node id).</summary>
    public ImmutableSortedDictionary<int, ImmutableSortedDictionary<string, string>> PerBrokerConfigs { get; init; } =
        ImmutableSortedDictionary<int, ImmutableSortedDictionary<string, string>>.Empty;

    /// <summary>Finalized feature levels (FeatureLevelRecord), e.g. <c>metadata.version</c>.</summary>
    public ImmutableSortedDictionary<string, short> Features { get; init; } =
        ImmutableSortedDictionary.Create<string, short>(StringComparer.Ordinal);

    /// <summary>The cluster's ACLs (AccessControlEntryRecord), indexed for authorization.</summary>
    public AclImage Acls { get; init; } = AclImage.Empty;

    /// <summary>Registered brokers the controller has not fenced, in id order.</summary>
    public IEnumerable<BrokerImage> LiveBrokers => Brokers.Values.Where(b => !b.Fenced);

    public bool IsLive(int brokerId) => Brokers.TryGetValue(brokerId, out var b) && !b.Fenced;

    /// <summary>Unfenced and not in controlled shutdown: may lead partitions and join ISRs.</summary>
    public bool IsActive(int brokerId) => Brokers.TryGetValue(brokerId, out var b) && b.IsActive;

    /// <summary>The dynamic configs set for one broker (empty when none).</summary>
    public ImmutableSortedDictionary<string, string> BrokerConfigsFor(int brokerId) =>
        PerBrokerConfigs.TryGetValue(brokerId, out var configs) ? configs : ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);

    public TopicImage? Topic(string name) => Topics.GetValueOrDefault(name);

    public TopicImage? Topic(Guid id) => TopicNamesById.TryGetValue(id, out var name) ? Topics.GetValueOrDefault(name) : null;

    public PartitionImage? Partition(string topic, int partition) =>
        Topics.TryGetValue(topic, out var t) ? t.Partitions.GetValueOrDefault(partition) : null;
}
