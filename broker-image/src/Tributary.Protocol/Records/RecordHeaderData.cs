namespace Tributary.Protocol.Records;

/// <summary>A record header to write: a key (never null in Kafka) and a value that may be null.</summary>
public readonly record struct RecordHeaderData(string Key, byte[]? Value);
