using Microsoft.Win32.SafeHandles;

namespace Tributary.Storage;

/// <summary>
/// The growing end of a segment's <c>.log</c> file, and what the broker does around it so that
/// appends cost a copy into memory and little else:
/// <list type="bullet">
/// <item>Disk space is reserved ahead of the end (keeping the file size): as much again as the
/// segment holds, up to <see cref="PreallocateStep"/>, so ext4 allocates blocks once per step
/// instead of reserving them page by page (measured here: a quarter of the kernel's CPU per GB
/// written). The segment frees what it did not use when it is sealed or closed
/// (<see cref="LogSegment.Seal"/>).</item>
/// <item>Appended bytes go to writeback a <see cref="Chunk"/> at a time, so the device works
/// while the log grows, not all at once when the kernel's dirty limits are hit.</item>
/// <item>Bytes further than <c>tributary.log.page.cache.retain.bytes</c> behind the end are written back and
/// dropped from the page cache. Tail readers (followers, caught-up consumers) still read from
/// memory; a lagging reader reads from the device, as after the kernel evicted the pages.</item>
/// </list>
/// </summary>
/// <remarks>
/// Why drop pages: an unbounded page cache grows into free memory, and every page it takes is a
/// fresh allocation; in a VM with free page reporting that is a host page fault (measured here:
/// 2.5 CPU seconds per GB written against 0.3 with a window, whose dropped pages are reused at
/// once), in a container the cache is charged to the pod's memory limit and reclaimed under
/// pressure. Kafka leaves all of it to the kernel; a negative retain size does the same.
/// Called under the log's append lock.
/// </remarks>
internal sealed class SegmentFileTail
{
    /// <summary>Writeback and drops work in steps of this size (few syscalls, large device writes).</summary>
    internal const int Chunk = 4 * 1024 * 1024;

    /// <summary>Most disk space reserved ahead of the end at a time.</summary>
    internal const int PreallocateStep = 32 * 1024 * 1024;

    /// <summary>Least disk space reserved ahead when a write needs more.</summary>
    internal const int MinPreallocateStep = 64 * 1024;

    private long _writebackFrom;
    private long _dropFrom;
    private long _preallocatedTo;
    private bool _preallocationFailed;

    /// <param name="start">Bytes already in the file when the segment was opened: left as they are.</param>
    public SegmentFileTail(long start)
    {
        _writebackFrom = start;
        _dropFrom = start;
        _preallocatedTo = start;
    }

    /// <summary>Before writing <paramref name="length"/> bytes at <paramref name="position"/>: reserves space ahead.</summary>
    public void BeforeWrite(SafeFileHandle file, long position, int length, int segmentBytes)
    {
        var end = position + length;
        if (end <= _preallocatedTo || _preallocationFailed || !FileHints.Supported)
        {
            return;
        }

        // Reserve as much again as the segment already holds, up to one step: a busy partition
        // reserves a full step after its first 32 MiB, while thousands of quiet partitions do not
        // hold a step of disk each. Never past the segment's size limit, where it would roll.
        var ahead = Math.Clamp(end, MinPreallocateStep, PreallocateStep);
        var target = Math.Max(end, Math.Min(end + ahead, (long)segmentBytes));
        if (FileHints.Preallocate(file, _preallocatedTo, target - _preallocatedTo))
        {
            _preallocatedTo = target;
        }
        else
        {
            _preallocationFailed = true; // not supported by this file system, or full: the write will tell
        }
    }

    /// <summary>After an append that ended at <paramref name="end"/>.</summary>
    public void Appended(SafeFileHandle file, long end, long retainBytes)
    {
        if (retainBytes < 0 || !FileHints.Supported)
        {
            return;
        }

        if (end - _writebackFrom >= Chunk)
        {
            FileHints.StartWriteback(file, _writebackFrom, end - _writebackFrom);
            _writebackFrom = end;
        }

        var dropTo = _writebackFrom - retainBytes;
        if (dropTo - _dropFrom >= Chunk)
        {
            FileHints.WriteBackAndDrop(file, _dropFrom, dropTo - _dropFrom);
            _dropFrom = dropTo;
        }
    }

    /// <summary>The file was cut to <paramref name="size"/> bytes (which also frees every block reserved past it).</summary>
    public void Truncated(long size)
    {
        _writebackFrom = Math.Min(_writebackFrom, size);
        _dropFrom = Math.Min(_dropFrom, size);
        _preallocatedTo = size;
    }

    /// <summary>True when space past <paramref name="size"/> was reserved and should be given back.</summary>
    public bool HasUnusedSpace(long size) => _preallocatedTo > size;
}
