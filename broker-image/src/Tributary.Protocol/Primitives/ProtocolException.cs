namespace Tributary.Protocol.Primitives;

/// <summary>
/// Raised for any input that does not follow the Kafka wire format: truncated buffers,
/// negative or oversized lengths, over-long varints, unknown API keys or versions.
/// Callers turn it into a Kafka error code or a closed connection; it never means a bug.
/// </summary>
public sealed class ProtocolException : Exception
{
    public ProtocolException(ProtocolError error, string message) : base(message) => Error = error;

    public ProtocolError Error { get; }

    public static ProtocolException Truncated(int needed, int remaining) =>
        new(ProtocolError.Truncated, $"buffer truncated: need {needed} bytes, {remaining} remain");
}
