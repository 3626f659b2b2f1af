namespace Tributary.Broker.Tests.Raft;

/// <summary>A record batch read back from a Raft log, for comparisons (Hex is the whole batch).</summary>
public sealed record LogBatch(long BaseOffset, long LastOffset, int Epoch, uint Crc, string Hex);
