namespace Tributary.Broker.Groups;

/// <summary>
/// A SyncGroup request. <see cref="ProtocolType"/> and <see cref="ProtocolName"/> are null before
/// v5. <see cref="Assignments"/> (member id to assignment bytes) is only meaningful from the leader.
/// </summary>
public sealed record SyncGroupRequest(
    string GroupId,
    int GenerationId,
    string MemberId,
    string? GroupInstanceId,
    string? ProtocolType,
    string? ProtocolName,
    IReadOnlyDictionary<string, byte[]> Assignments);
