namespace Tributary.Broker.FetchSessions;

/// <summary>
/// A partition as a fetch names it: by topic name (Fetch v0-12) or topic id (v13+, with the
/// name resolved from metadata when known, else empty).
/// </summary>
public readonly record struct FetchPartitionKey(Guid TopicId, string Topic, int Partition);
