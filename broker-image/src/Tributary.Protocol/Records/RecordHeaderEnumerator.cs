namespace Tributary.Protocol.Records;

/// <summary>
/// Walks a record's headers in place. The headers were checked when the record was read,
/// so walking them cannot fail.
/// </summary>
public ref struct RecordHeaderEnumerator
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly int _count;
    private RecordCursor _cursor;
    private int _index;

    internal RecordHeaderEnumerator(ReadOnlySpan<byte> data, int count)
    {
        _data = data;
        _count = count;
        _cursor = new RecordCursor(data);
        _index = 0;
        Current = default;
    }

    public RecordHeader Current { get; private set; }

    public readonly RecordHeaderEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_index >= _count || !Record.TryReadHeader(ref _cursor, out var header))
        {
            return false;
        }

        _index++;
        Current = header;
        return true;
    }

    /// <summary>Number of headers.</summary>
    public readonly int Count => _count;

    /// <summary>The raw bytes of all headers.</summary>
    public readonly ReadOnlySpan<byte> Bytes => _data;
}
