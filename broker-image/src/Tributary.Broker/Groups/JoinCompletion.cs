namespace Tributary.Broker.Groups;

/// <summary>A JoinGroup response to send now for the request the host tagged with <see cref="Token"/>.</summary>
public sealed record JoinCompletion(long Token, JoinGroupResult Result);
