using Tributary.Protocol;

namespace Tributary.Broker.Groups;

/// <summary>Per-member outcome of LeaveGroup.</summary>
public sealed record MemberLeaveResult(string MemberId, string? GroupInstanceId, ErrorCode Error);
