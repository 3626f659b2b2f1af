namespace Tributary.Storage;

/// <summary>The special timestamps of the ListOffsets API.</summary>
public static class ListOffsetsTimestamp
{
    /// <summary>The log end offset.</summary>
    public const long Latest = -1;

    /// <summary>The log start offset.</summary>
    public const long Earliest = -2;

    /// <summary>The record with the largest timestamp (KIP-734).</summary>
    public const long MaxTimestamp = -3;
}
