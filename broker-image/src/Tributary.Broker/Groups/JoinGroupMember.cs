namespace Tributary.Broker.Groups;

/// <summary>A member as listed to the group leader in its JoinGroup response.</summary>
public sealed record JoinGroupMember(string MemberId, string? GroupInstanceId, byte[] Metadata);
