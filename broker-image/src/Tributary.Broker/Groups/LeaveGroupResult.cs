using Tributary.Protocol;

namespace Tributary.Broker.Groups;

/// <summary>LeaveGroup response: a top-level error and one entry per member asked to leave.</summary>
public sealed record LeaveGroupResult(ErrorCode Error, IReadOnlyList<MemberLeaveResult> Members);
