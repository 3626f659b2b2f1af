namespace Tributary.Broker.Groups;

/// <summary>
/// A JoinGroup request in version-independent form. Handlers fill <see cref="RebalanceTimeoutMs"/>
/// with the session timeout for v0, and set <see cref="RequireKnownMemberId"/> for v4+ (KIP-394).
/// </summary>
public sealed record JoinGroupRequest(
    string GroupId,
    int SessionTimeoutMs,
    int RebalanceTimeoutMs,
    string MemberId,
    string? GroupInstanceId,
    string ProtocolType,
    IReadOnlyList<GroupProtocol> Protocols,
    string ClientId,
    string ClientHost,
    bool RequireKnownMemberId);
