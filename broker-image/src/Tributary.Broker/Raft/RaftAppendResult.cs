namespace Tributary.Broker.Raft;

/// <summary>
/// Where <see cref="RaftNode.Append"/> put the records: offsets <paramref name="BaseOffset"/> to
/// <paramref name="LastOffset"/> in <paramref name="Epoch"/>. They are committed once the high
/// watermark passes <paramref name="LastOffset"/>; they are lost if leadership changes first.
/// </summary>
public sealed record RaftAppendResult(long BaseOffset, long LastOffset, int Epoch, RaftOutput Output);
