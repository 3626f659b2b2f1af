namespace Tributary.Storage;

/// <summary>An offset index entry: the batch at file <see cref="Position"/> ends at or after <see cref="Offset"/>.</summary>
internal readonly record struct OffsetPosition(long Offset, int Position);
