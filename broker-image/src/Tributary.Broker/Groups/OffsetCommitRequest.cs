namespace Tributary.Broker.Groups;

/// <summary>
/// An OffsetCommit request. Simple (non-group-managed) clients send generation -1 and an empty
/// member id. The handler checks topic existence first and passes only known partitions.
/// </summary>
public sealed record OffsetCommitRequest(
    string GroupId,
    int GenerationId,
    string MemberId,
    string? GroupInstanceId,
    IReadOnlyList<OffsetCommitEntry> Offsets);
