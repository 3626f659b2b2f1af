namespace Tributary.Storage.Tests;

/// <summary>A record as tests build and read it: key and value (null for a tombstone), timestamp, offset.</summary>
public sealed record TestRecord(byte[]? Key, byte[]? Value, long Timestamp, long Offset = -1)
{
    public string? KeyText => Key is null ? null : System.Text.Encoding.UTF8.GetString(Key);

    public string? ValueText => Value is null ? null : System.Text.Encoding.UTF8.GetString(Value);

    public static TestRecord Of(string? key, string? value, long timestamp) => new(
        key is null ? null : System.Text.Encoding.UTF8.GetBytes(key),
        value is null ? null : System.Text.Encoding.UTF8.GetBytes(value),
        timestamp);
}
