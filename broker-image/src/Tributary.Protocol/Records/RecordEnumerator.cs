using Tributary.Protocol.Primitives;

namespace Tributary.Protocol.Records;

/// <summary>
/// Walks the records of an uncompressed records section (or of a decompressed one) without
/// allocating. <see cref="MoveNext"/> raises <see cref="ProtocolException"/>
/// (<see cref="ProtocolError.CorruptRecord"/>) on corrupt data, for <c>foreach</c> use;
/// <see cref="TryMoveNext"/> reports a <see cref="RecordReadError"/> instead.
/// </summary>
public ref struct RecordEnumerator
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly int _expectedCount;
    private int _position;
    private int _index;

    /// <param name="records">The records, back to back.</param>
    /// <param name="expectedCount">The batch's recordCount, or -1 to read until the data ends.</param>
    public RecordEnumerator(ReadOnlySpan<byte> records, int expectedCount = -1)
    {
        _data = records;
        _expectedCount = expectedCount;
        _position = 0;
        _index = 0;
        Current = default;
    }

    public Record Current { get; private set; }

    /// <summary>Records read so far.</summary>
    public readonly int Index => _index;

    /// <summary>Offset of the next unread byte.</summary>
    public readonly int Position => _position;

    public readonly RecordEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        if (TryMoveNext(out var error))
        {
            return true;
        }

        return error == RecordReadError.None
            ? false
            : throw new ProtocolException(ProtocolError.CorruptRecord, $"record {_index} at byte {_position}: {error}");
    }

    /// <summary>
    /// Advances to the next record. Returns false at the end (<paramref name="error"/> is
    /// <see cref="RecordReadError.None"/>) or on corrupt data (it says why).
    /// </summary>
    public bool TryMoveNext(out RecordReadError error)
    {
        var rest = _data[_position..];
        if (_expectedCount >= 0 && _index == _expectedCount)
        {
            error = rest.IsEmpty ? RecordReadError.None : RecordReadError.CountMismatch;
            return false;
        }

        if (rest.IsEmpty)
        {
            error = _expectedCount < 0 ? RecordReadError.None : RecordReadError.CountMismatch;
            return false;
        }

        error = Record.TryRead(rest, out var record, out var consumed);
        if (error != RecordReadError.None)
        {
            return false;
        }

        Current = record;
        _position += consumed;
        _index++;
        return true;
    }
}
