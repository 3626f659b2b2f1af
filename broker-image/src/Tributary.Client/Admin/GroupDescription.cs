namespace Tributary.Client.Admin;

/// <summary>DescribeGroups' answer for one group.</summary>
public sealed record GroupDescription(string GroupId, AdminResult Result, string State, string ProtocolType, string Protocol, IReadOnlyList<MemberDescription> Members);
