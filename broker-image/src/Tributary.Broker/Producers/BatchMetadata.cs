namespace Tributary.Broker.Producers;

/// <summary>Sequence and offset range of one appended idempotent batch, kept to detect retried duplicates.</summary>
public readonly record struct BatchMetadata(int FirstSequence, int LastSequence, long FirstOffset, long LastOffset, long Timestamp);
