namespace Tributary.Broker.Groups;

/// <summary>What a <c>__consumer_offsets</c> record key names (by its key version).</summary>
public enum CoordinatorKeyType
{
    /// <summary>A key version this coordinator does not use (e.g. KIP-848 records); skipped on load.</summary>
    Unknown,

    /// <summary>OffsetCommitKey (key versions 0 and 1).</summary>
    OffsetCommit,

    /// <summary>GroupMetadataKey (key version 2).</summary>
    GroupMetadata,
}
