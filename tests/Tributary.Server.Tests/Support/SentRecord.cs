namespace Tributary.Server.Tests.Support;

/// <summary>A record as produced (with the offset the broker acknowledged) or as consumed.</summary>
public sealed record SentRecord(int Partition, long Offset, string? Key, string? Value, string? Header);
