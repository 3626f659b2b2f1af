using Tributary.Protocol.Primitives;

namespace Tributary.Protocol.Records;

/// <summary>
/// Splits a buffer of concatenated batches (a <c>records</c> field, a log segment slice) into
/// batches using each one's batchLength. A partial batch at the end, which Fetch responses may
/// carry, ends the walk without an error: see <see cref="HasPartialBatch"/>. A batchLength too
/// small to be any batch or message raises <see cref="ProtocolException"/>.
/// </summary>
/// <remarks>
/// Entries are not required to be v2 batches (magic 0/1 message sets have the same offset/length
/// prefix), so a validator can give legacy data its own error code.
/// </remarks>
public ref struct RecordBatchEnumerator
{
    /// <summary>The smallest legacy message (magic 0) after the offset and size fields.</summary>
    public const int MinEntryLength = 14;

    private readonly ReadOnlySpan<byte> _buffer;
    private int _position;

    public RecordBatchEnumerator(ReadOnlySpan<byte> buffer)
    {
        _buffer = buffer;
        _position = 0;
        Current = default;
    }

    /// <summary>The current batch's bytes (whole, including the 12-byte offset/length prefix).</summary>
    public ReadOnlySpan<byte> Current { get; private set; }

    /// <summary>The current entry as a v2 batch view (raises <see cref="ProtocolException"/> if it is not one).</summary>
    public readonly RecordBatch CurrentBatch => new(Current);

    /// <summary>Offset just past the last whole batch returned: where a partial tail starts.</summary>
    public readonly int Position => _position;

    /// <summary>True once the walk ended on bytes that do not form a whole batch.</summary>
    public readonly bool HasPartialBatch => _position < _buffer.Length && Current.IsEmpty;

    /// <summary>Bytes after the last whole batch.</summary>
    public readonly int TrailingBytes => _buffer.Length - _position;

    public readonly RecordBatchEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        Current = default;
        var rest = _buffer[_position..];
        if (rest.Length < RecordBatchHeader.LogOverhead)
        {
            return false;
        }

        var length = RecordBatchHeader.BatchLength(rest);
        if (length < MinEntryLength)
        {
            throw new ProtocolException(ProtocolError.CorruptRecord, $"batch at byte {_position} has length {length}, below the minimum {MinEntryLength}");
        }

        if (length > rest.Length - RecordBatchHeader.LogOverhead)
        {
            return false;
        }

        Current = rest[..(RecordBatchHeader.LogOverhead + length)];
        _position += Current.Length;
        return true;
    }
}
