namespace Tributary.Storage;

/// <summary>Outcome of one step of a <see cref="SegmentScanner"/>.</summary>
internal enum ScanStatus
{
    /// <summary>A batch header was read and the whole batch lies before the end.</summary>
    Batch,

    /// <summary>The scan reached its end exactly at a batch boundary.</summary>
    End,

    /// <summary>The bytes left are too few for the header or the batch it declares (a torn write).</summary>
    Truncated,

    /// <summary>A header that is not a valid v2 batch header.</summary>
    Corrupt,
}
