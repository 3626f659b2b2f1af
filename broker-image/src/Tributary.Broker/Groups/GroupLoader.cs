using Tributary.Protocol.Primitives;
using Tributary.Storage;

namespace Tributary.Broker.Groups;

/// <summary>
/// Accumulates the records of one <c>__consumer_offsets</c> partition during start-up replay:
/// the latest record per key wins and tombstones delete.
/// </summary>
internal sealed class GroupLoader
{
    public Dictionary<string, GroupMetadataSnapshot> Groups { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, Dictionary<TopicPartition, CommittedOffset>> Offsets { get; } = new(StringComparer.Ordinal);

    /// <summary>Applies one record; false when it could not be decoded (it is then skipped).</summary>
    public bool Apply(ReadOnlyMemory<byte> key, ReadOnlyMemory<byte>? value)
    {
        try
        {
            var decoded = CoordinatorRecordCodec.DecodeKey(key);
            switch (decoded.Type)
            {
                case CoordinatorKeyType.OffsetCommit:
                    var tp = new TopicPartition(decoded.Topic!, decoded.Partition);
                    if (value is null)
                    {
                        if (Offsets.TryGetValue(decoded.Group, out var existing))
                        {
                            existing.Remove(tp);
                            if (existing.Count == 0)
                            {
                                Offsets.Remove(decoded.Group);
                            }
                        }
                    }
                    else
                    {
                        var offset = CoordinatorRecordCodec.DecodeOffsetCommitValue(value.Value);
                        if (!Offsets.TryGetValue(decoded.Group, out var map))
                        {
                            map = [];
                            Offsets[decoded.Group] = map;
                        }

                        map[tp] = offset;
                    }

                    return true;
                case CoordinatorKeyType.GroupMetadata:
                    if (value is null)
                    {
                        Groups.Remove(decoded.Group);
                    }
                    else
                    {
                        Groups[decoded.Group] = CoordinatorRecordCodec.DecodeGroupMetadataValue(value.Value);
                    }

                    return true;
                default:
                    return true;
            }
        }
        catch (ProtocolException)
        {
            return false;
        }
    }
}
