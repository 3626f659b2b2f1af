namespace Tributary.Storage.Tests;

/// <summary>A record read back from a stored batch, with its absolute offset and timestamp and its headers.</summary>
public sealed record DecodedRecord(long Offset, long Timestamp, string? Key, string? Value, IReadOnlyList<(string Key, string? Value)> Headers)
{
    /// <summary>Value equality, headers included (compared in order).</summary>
    public bool Equals(DecodedRecord? other) =>
        other is not null && Offset == other.Offset && Timestamp == other.Timestamp && Key == other.Key && Value == other.Value
        && Headers.SequenceEqual(other.Headers);

    public override int GetHashCode() => HashCode.Combine(Offset, Timestamp, Key, Value, Headers.Count);
}
