namespace Tributary.Broker.Groups;

/// <summary>A Heartbeat request.</summary>
public sealed record HeartbeatRequest(string GroupId, int GenerationId, string MemberId, string? GroupInstanceId);
