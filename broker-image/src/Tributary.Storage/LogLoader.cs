namespace Tributary.Storage;

/// <summary>
/// Opens a partition directory after a clean or unclean shutdown: finishes or discards
/// interrupted compaction swaps, removes temporary files, trusts segments wholly below the
/// recovery point, and fully validates (and truncates) everything after it.
/// </summary>
internal static class LogLoader
{
    public static List<LogSegment> Load(string directory, LogConfig config, long recoveryPoint, long logStartOffset, out long truncatedBytes)
    {
        Directory.CreateDirectory(directory);
        RemoveTemporaryFiles(directory);
        CompleteSwaps(directory);

        var bases = Directory.EnumerateFiles(directory, "*" + SegmentFiles.LogExtension)
            .Select(Path.GetFileName)
            .Select(name => SegmentFiles.TryParseBaseOffset(name!, out var b) && name!.EndsWith(SegmentFiles.LogExtension, StringComparison.Ordinal) ? b : -1)
            .Where(b => b >= 0)
            .Order()
            .ToList();

        truncatedBytes = 0;
        var segments = new List<LogSegment>(bases.Count);
        for (var i = 0; i < bases.Count; i++)
        {
            var baseOffset = bases[i];
            var indexesExist = File.Exists(SegmentFiles.IndexPath(directory, baseOffset)) &&
                File.Exists(SegmentFiles.TimeIndexPath(directory, baseOffset)) &&
                File.Exists(SegmentFiles.TxnIndexPath(directory, baseOffset));
            var segment = LogSegment.Open(directory, baseOffset, config);
            var trusted = indexesExist && segment.TryLoad() && segment.NextOffset <= recoveryPoint;
            if (!trusted)
            {
                var cut = segment.Recover(config.IndexIntervalBytes);
                segment.Flush();
                if (cut > 0)
                {
                    truncatedBytes += cut;
                    segments.Add(segment);
                    DeleteSegmentsFrom(directory, bases, i + 1);
                    break;
                }
            }

            if (segments.Count > 0 && segment.BaseOffset < segments[^1].NextOffset)
            {
                // Overlapping segments cannot come from this code; refuse rather than serve garbage.
                segment.Dispose();
                foreach (var s in segments)
                {
                    s.Dispose();
                }

                throw new StorageException(StorageError.CorruptRecord, $"segment {baseOffset} in {directory} overlaps the previous segment");
            }

            segments.Add(segment);
        }

        // Closed segments carry their largest timestamp in the time index; recovery rebuilt it without.
        for (var i = 0; i < segments.Count - 1; i++)
        {
            segments[i].Seal();
        }

        // A log always has an active segment.
        if (segments.Count == 0)
        {
            segments.Add(LogSegment.Create(directory, Math.Max(0, logStartOffset), config));
            DirectorySync.Flush(directory);
        }

        return segments;
    }

    private static void RemoveTemporaryFiles(string directory)
    {
        foreach (var path in Directory.EnumerateFiles(directory))
        {
            var name = Path.GetFileName(path);
            if (name.EndsWith(SegmentFiles.CleanedSuffix, StringComparison.Ordinal) ||
                name.EndsWith(SegmentFiles.DeletedSuffix, StringComparison.Ordinal) ||
                name.EndsWith(".tmp", StringComparison.Ordinal) ||
                (name.EndsWith(SegmentFiles.SwapSuffix, StringComparison.Ordinal) && !name.EndsWith(SegmentFiles.LogExtension + SegmentFiles.SwapSuffix, StringComparison.Ordinal)))
            {
                File.Delete(path);
            }
        }
    }

    /// <summary>
    /// A <c>.log.swap</c> file is a finished compaction output: the swap was committed when it
    /// got that name. Remove every segment it replaces (those starting inside its offset range,
    /// including the one with its own base), give it the live name and let its indexes be rebuilt.
    /// </summary>
    private static void CompleteSwaps(string directory)
    {
        var swaps = Directory.EnumerateFiles(directory, "*" + SegmentFiles.LogExtension + SegmentFiles.SwapSuffix)
            .Select(p => SegmentFiles.TryParseBaseOffset(Path.GetFileName(p), out var b) ? b : -1)
            .Where(b => b >= 0)
            .Order()
            .ToList();
        foreach (var swapBase in swaps)
        {
            var swapPath = SegmentFiles.LogPath(directory, swapBase, SegmentFiles.SwapSuffix);
            long next;
            using (var file = File.OpenHandle(swapPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            using (var scanner = new SegmentScanner(file, 0, RandomAccess.GetLength(file)))
            {
                next = swapBase + 1;
                while (scanner.Next(out var batch) == ScanStatus.Batch)
                {
                    next = batch.NextOffset;
                }
            }

            foreach (var path in Directory.EnumerateFiles(directory, "*" + SegmentFiles.LogExtension))
            {
                if (SegmentFiles.TryParseBaseOffset(Path.GetFileName(path), out var b) && b >= swapBase && b < next)
                {
                    DeleteSegmentFiles(directory, b);
                }
            }

            DeleteSegmentFiles(directory, swapBase);
            File.Move(swapPath, SegmentFiles.LogPath(directory, swapBase));
        }

        if (swaps.Count > 0)
        {
            DirectorySync.Flush(directory);
        }
    }

    private static void DeleteSegmentsFrom(string directory, List<long> bases, int from)
    {
        for (var j = from; j < bases.Count; j++)
        {
            DeleteSegmentFiles(directory, bases[j]);
        }

        DirectorySync.Flush(directory);
    }

    private static void DeleteSegmentFiles(string directory, long baseOffset)
    {
        File.Delete(SegmentFiles.LogPath(directory, baseOffset));
        File.Delete(SegmentFiles.IndexPath(directory, baseOffset));
        File.Delete(SegmentFiles.TimeIndexPath(directory, baseOffset));
        File.Delete(SegmentFiles.TxnIndexPath(directory, baseOffset));
    }
}
