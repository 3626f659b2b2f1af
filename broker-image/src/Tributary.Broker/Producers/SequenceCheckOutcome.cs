namespace Tributary.Broker.Producers;

/// <summary>What to do with an incoming idempotent batch.</summary>
public enum SequenceCheckOutcome
{
    /// <summary>Next in sequence (or first batch of a new producer/epoch): append it.</summary>
    Append,

    /// <summary>A retry of a batch already in the log: do not append, answer with its original offsets.</summary>
    Duplicate,

    /// <summary>A gap or reordering: OUT_OF_ORDER_SEQUENCE_NUMBER.</summary>
    OutOfOrderSequence,

    /// <summary>An epoch older than the latest seen (a fenced/zombie producer): INVALID_PRODUCER_EPOCH.</summary>
    InvalidProducerEpoch,
}
