namespace Tributary.Broker.Groups;

/// <summary>
/// A member named in LeaveGroup (v3+ batches; v0-2 send one with the request's member id).
/// An empty <see cref="MemberId"/> with an instance id removes a static member administratively.
/// </summary>
public sealed record MemberIdentity(string MemberId, string? GroupInstanceId);
