namespace Tributary.Protocol.Compression;

/// <summary>
/// A codec's native library (liblz4.so.1, libzstd.so.1) could not be loaded. This is a deployment
/// problem, not bad input, so it is not a <see cref="Primitives.ProtocolException"/>.
/// </summary>
public sealed class CompressionUnavailableException : Exception
{
    public CompressionUnavailableException()
    {
    }

    public CompressionUnavailableException(string message) : base(message)
    {
    }

    public CompressionUnavailableException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
