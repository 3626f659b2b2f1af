namespace Tributary.Storage;

/// <summary>
/// A time index entry: every record up to <see cref="Offset"/> has a timestamp &lt;= <see cref="Timestamp"/>.
/// A class so that the cached last entry of an index is swapped atomically.
/// </summary>
internal sealed record TimestampOffset(long Timestamp, long Offset);
