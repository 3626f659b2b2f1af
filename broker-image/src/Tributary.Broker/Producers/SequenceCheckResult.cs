using Tributary.Protocol;

namespace Tributary.Broker.Producers;

/// <summary>
/// Result of <see cref="PartitionProducerState.CheckAndRecord"/>. For duplicates,
/// <see cref="FirstOffset"/>/<see cref="LastOffset"/> are the offsets originally assigned, which
/// the produce response returns as the base offset.
/// </summary>
public readonly record struct SequenceCheckResult(SequenceCheckOutcome Outcome, long FirstOffset, long LastOffset)
{
    public static SequenceCheckResult Append => new(SequenceCheckOutcome.Append, -1, -1);

    /// <summary>The produce response error for this outcome (duplicates are answered as success).</summary>
    public ErrorCode Error => Outcome switch
    {
        SequenceCheckOutcome.OutOfOrderSequence => ErrorCode.OutOfOrderSequenceNumber,
        SequenceCheckOutcome.InvalidProducerEpoch => ErrorCode.InvalidProducerEpoch,
        _ => ErrorCode.None,
    };
}
