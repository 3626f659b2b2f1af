namespace Tributary.Client.Producer;

/// <summary>How many replicas must have a batch before the leader answers.</summary>
public enum Acks : short
{
    /// <summary>No response at all: offsets are unknown (-1).</summary>
    None = 0,
    Leader = 1,
    All = -1,
}
