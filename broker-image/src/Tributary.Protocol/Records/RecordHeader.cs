using System.Text;

namespace Tributary.Protocol.Records;

/// <summary>One record header, read in place: a UTF-8 key and a value that may be null.</summary>
public readonly ref struct RecordHeader
{
    public RecordHeader(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, bool isValueNull)
    {
        Key = key;
        Value = value;
        IsValueNull = isValueNull;
    }

    /// <summary>The key's UTF-8 bytes.</summary>
    public ReadOnlySpan<byte> Key { get; }

    public ReadOnlySpan<byte> Value { get; }

    public bool IsValueNull { get; }

    /// <summary>Decodes the key (allocates; for tests, tools and slow paths).</summary>
    public string KeyString() => Encoding.UTF8.GetString(Key);
}
