namespace Tributary.Protocol.Primitives;

/// <summary>
/// Offered every records field a <see cref="KafkaWriter"/> writes, after its length prefix. A sink
/// that takes the bytes sends them later from where they are (a gather write), so the writer
/// leaves them out of its buffer: a fetch response then carries its record batches from the
/// buffer they were read into instead of a second copy.
/// </summary>
public interface IRecordsSink
{
    /// <summary>
    /// True when the sink keeps <paramref name="records"/> to be sent at
    /// <paramref name="position"/> of the writer's buffer (which then skips them); false to have
    /// them copied as usual.
    /// </summary>
    bool TryTake(int position, ReadOnlyMemory<byte> records);
}
