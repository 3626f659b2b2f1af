namespace Tributary.Broker.Groups;

/// <summary>A member as persisted in GroupMetadataValue; subscription is the metadata of the selected protocol.</summary>
public sealed record GroupMemberSnapshot(
    string MemberId,
    string? GroupInstanceId,
    string ClientId,
    string ClientHost,
    int RebalanceTimeoutMs,
    int SessionTimeoutMs,
    byte[] Subscription,
    byte[] Assignment);
