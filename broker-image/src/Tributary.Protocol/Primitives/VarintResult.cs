namespace Tributary.Protocol.Primitives;

/// <summary>Outcome of decoding a varint from a buffer that may end early.</summary>
public enum VarintResult
{
    Ok,
    /// <summary>The buffer ended before the last byte of the varint.</summary>
    Truncated,
    /// <summary>More bytes than the type allows (5 for 32 bits, 10 for 64 bits) or bits beyond its width.</summary>
    Overlong,
}
