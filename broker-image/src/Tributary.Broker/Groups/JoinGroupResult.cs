using Tributary.Protocol;

namespace Tributary.Broker.Groups;

/// <summary>
/// A JoinGroup response. <see cref="Members"/> is non-empty only for the leader.
/// <see cref="ProtocolName"/> is null on errors (handlers write "" for versions before 7).
/// </summary>
public sealed record JoinGroupResult(
    ErrorCode Error,
    int GenerationId,
    string? ProtocolType,
    string? ProtocolName,
    string LeaderId,
    string MemberId,
    IReadOnlyList<JoinGroupMember> Members)
{
    /// <summary>An error response: generation -1, no leader, no members.</summary>
    public static JoinGroupResult Failure(string memberId, ErrorCode error) =>
        new(error, -1, null, null, string.Empty, memberId, []);
}
