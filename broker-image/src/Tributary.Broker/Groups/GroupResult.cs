namespace Tributary.Broker.Groups;

/// <summary>
/// An immediate response plus the side effects the call caused for others
/// (pending JoinGroup/SyncGroup completions, records to append).
/// </summary>
public sealed record GroupResult<T>(T Response, GroupActions Actions);
