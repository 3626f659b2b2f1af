namespace Tributary.Broker.Raft;

/// <summary>One record batch held by <see cref="InMemoryRaftLog"/>.</summary>
public sealed record StoredBatch(long BaseOffset, long LastOffset, int Epoch, byte[] Bytes);
