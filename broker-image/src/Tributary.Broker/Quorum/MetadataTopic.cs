using Tributary.Broker.Topics;

namespace Tributary.Broker.Quorum;

/// <summary>
/// The replicated metadata topic's identity: its name and KRaft's fixed topic id
/// (Uuid(0, 1), "AAAAAAAAAAAAAAAAAAAAAQ"), which Fetch v13+ uses instead of the name.
/// </summary>
public static class MetadataTopic
{
    public const string Name = TopicNames.ClusterMetadata;

    /// <summary>Uuid(0, 1) as the protocol layer reads it (big-endian bytes, last byte 1).</summary>
    public static readonly Guid Id = new([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], bigEndian: true);
}
