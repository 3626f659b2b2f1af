namespace Tributary.Operator.Rendering;

/// <summary>What a Kafka node pod runs.</summary>
public enum NodeRole
{
    /// <summary>A broker (possibly also a quorum voter in Combined mode).</summary>
    Broker,

    /// <summary>A dedicated KRaft controller.</summary>
    Controller,
}
