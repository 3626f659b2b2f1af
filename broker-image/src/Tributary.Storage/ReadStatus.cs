namespace Tributary.Storage;

/// <summary>Outcome of <see cref="PartitionLog.Read"/>.</summary>
public enum ReadStatus
{
    /// <summary>Zero or more whole batches were returned.</summary>
    Ok,

    /// <summary>The fetch offset is below the log start offset or above the log end offset (OFFSET_OUT_OF_RANGE).</summary>
    OffsetOutOfRange,
}
