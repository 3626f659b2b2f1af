namespace Tributary.Protocol.Primitives;

/// <summary>What kind of malformed input a <see cref="ProtocolException"/> reports.</summary>
public enum ProtocolError
{
    Truncated,
    InvalidLength,
    InvalidVarint,
    InvalidString,
    UnsupportedApiKey,
    UnsupportedVersion,
    CorruptRecord,
    UnsupportedCompression,
}
