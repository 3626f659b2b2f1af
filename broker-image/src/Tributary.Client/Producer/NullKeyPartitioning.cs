namespace Tributary.Client.Producer;

/// <summary>Where records without a key go.</summary>
public enum NullKeyPartitioning
{
    /// <summary>Stay on one partition until about batch.size bytes went there, then move on (KIP-794).</summary>
    Sticky,

    /// <summary>Each record to the next partition in turn.</summary>
    RoundRobin,
}
