using System.Globalization;

namespace Tributary.Storage;

/// <summary>
/// File names inside a partition directory. A segment is named by its base offset padded to
/// 20 digits; temporary states are marked with a suffix after the extension, as Kafka does.
/// </summary>
internal static class SegmentFiles
{
    public const string LogExtension = ".log";
    public const string IndexExtension = ".index";
    public const string TimeIndexExtension = ".timeindex";
    public const string TxnIndexExtension = ".txnindex";
    public const string SnapshotExtension = ".snapshot";

    /// <summary>A compaction output still being written; discarded by recovery.</summary>
    public const string CleanedSuffix = ".cleaned";

    /// <summary>A finished compaction output that replaces older segments; completed by recovery.</summary>
    public const string SwapSuffix = ".swap";

    /// <summary>A segment scheduled for removal; removed by recovery.</summary>
    public const string DeletedSuffix = ".deleted";

    public static string BaseName(long baseOffset) => baseOffset.ToString("D20", CultureInfo.InvariantCulture);

    public static string LogPath(string dir, long baseOffset, string suffix = "") => Path.Combine(dir, BaseName(baseOffset) + LogExtension + suffix);

    public static string IndexPath(string dir, long baseOffset, string suffix = "") => Path.Combine(dir, BaseName(baseOffset) + IndexExtension + suffix);

    public static string TimeIndexPath(string dir, long baseOffset, string suffix = "") => Path.Combine(dir, BaseName(baseOffset) + TimeIndexExtension + suffix);

    public static string TxnIndexPath(string dir, long baseOffset, string suffix = "") => Path.Combine(dir, BaseName(baseOffset) + TxnIndexExtension + suffix);

    /// <summary>Parses the base offset from a file name such as <c>00000000000000000042.log.swap</c>.</summary>
    public static bool TryParseBaseOffset(string fileName, out long baseOffset)
    {
        var dot = fileName.IndexOf('.', StringComparison.Ordinal);
        baseOffset = 0;
        return dot == 20 && long.TryParse(fileName.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out baseOffset);
    }
}
