namespace Tributary.Broker.Groups;

/// <summary>The fields of GroupMetadataValue (v3 layout; older versions decode with defaults).</summary>
public sealed record GroupMetadataSnapshot(
    string ProtocolType,
    int Generation,
    string? Protocol,
    string? Leader,
    long CurrentStateTimestamp,
    IReadOnlyList<GroupMemberSnapshot> Members);
