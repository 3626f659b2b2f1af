namespace Tributary.Broker.FetchSessions;

/// <summary>A partition cached in a fetch session: its current fetch position and what was last reported.</summary>
internal sealed class FetchSessionPartition
{
    public FetchSessionPartition(FetchTarget target) => Target = target;

    public FetchTarget Target { get; set; }

    public long HighWatermark { get; set; } = -1;

    public long LastStableOffset { get; set; } = -1;

    public long LogStartOffset { get; set; } = -1;

    /// <summary>Records a response's values; true when the response must include the partition.</summary>
    public bool Update(in FetchedPartitionState state)
    {
        var changed = state.HasRecords || state.Diverging || state.Error != Protocol.ErrorCode.None ||
            state.HighWatermark != HighWatermark || state.LastStableOffset != LastStableOffset || state.LogStartOffset != LogStartOffset;
        HighWatermark = state.HighWatermark;
        LastStableOffset = state.LastStableOffset;
        LogStartOffset = state.LogStartOffset;
        return changed;
    }
}
