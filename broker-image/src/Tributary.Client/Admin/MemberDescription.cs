namespace Tributary.Client.Admin;

/// <summary>A group member; Assignment is decoded for "consumer" groups and empty otherwise.</summary>
public sealed record MemberDescription(string MemberId, string? GroupInstanceId, string ClientId, string ClientHost, IReadOnlyList<TopicPartition> Assignment);
