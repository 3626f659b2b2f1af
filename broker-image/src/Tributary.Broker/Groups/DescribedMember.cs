namespace Tributary.Broker.Groups;

/// <summary>A member in DescribeGroups; metadata and assignment are empty unless the group is Stable.</summary>
public sealed record DescribedMember(
    string MemberId,
    string? GroupInstanceId,
    string ClientId,
    string ClientHost,
    byte[] Metadata,
    byte[] Assignment);
