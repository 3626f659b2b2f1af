namespace Tributary.Broker.Groups;

/// <summary>A SyncGroup response to send now for the request the host tagged with <see cref="Token"/>.</summary>
public sealed record SyncCompletion(long Token, SyncGroupResult Result);
