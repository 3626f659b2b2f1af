namespace Tributary.Storage;

/// <summary>
/// What the cleaner remembers about one log between runs (in memory: after a restart the
/// whole log counts as dirty once). Updated under the log's lock or its clean lock.
/// </summary>
internal sealed class CleanerState
{
    private long _firstDirtyOffset;
    private long _nextTombstoneHorizonMs = long.MaxValue;

    public CleanerState(long firstDirtyOffset) => _firstDirtyOffset = firstDirtyOffset;

    /// <summary>Everything below has been compacted at least once.</summary>
    public long FirstDirtyOffset
    {
        get => Volatile.Read(ref _firstDirtyOffset);
        set => Volatile.Write(ref _firstDirtyOffset, value);
    }

    /// <summary>Earliest delete horizon of a retained tombstone: cleaning again then removes it.</summary>
    public long NextTombstoneHorizonMs
    {
        get => Volatile.Read(ref _nextTombstoneHorizonMs);
        set => Volatile.Write(ref _nextTombstoneHorizonMs, value);
    }

    public void OnLogStartAdvanced(long logStartOffset) => FirstDirtyOffset = Math.Max(FirstDirtyOffset, logStartOffset);

    public void OnTruncated(long logEndOffset) => FirstDirtyOffset = Math.Min(FirstDirtyOffset, logEndOffset);
}
