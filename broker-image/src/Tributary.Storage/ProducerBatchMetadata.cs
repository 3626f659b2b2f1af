namespace Tributary.Storage;

/// <summary>One of the last batches appended by an idempotent producer (for duplicate detection).</summary>
public readonly record struct ProducerBatchMetadata(int FirstSequence, int LastSequence, long LastOffset, int OffsetDelta, long Timestamp)
{
    public long FirstOffset => LastOffset - OffsetDelta;
}
