namespace Tributary.Broker.Groups;

/// <summary>
/// A record the host must append to <c>__consumer_offsets</c> partition <see cref="Partition"/>.
/// A null <see cref="Value"/> is a tombstone (the topic is compacted).
/// </summary>
public sealed record GroupRecord(int Partition, byte[] Key, byte[]? Value);
