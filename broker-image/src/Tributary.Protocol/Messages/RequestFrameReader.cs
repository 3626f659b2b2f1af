using Tributary.Protocol.Primitives;

namespace Tributary.Protocol.Messages;

/// <summary>
/// Parses a request frame (the bytes after the 4-byte size prefix): header, then body. Split in
/// two steps so a server can read the header (correlation id) before deciding whether the body's
/// version is supported, and answer UNSUPPORTED_VERSION instead of dropping the connection.
/// </summary>
public static class RequestFrameReader
{
    /// <summary>
    /// Reads the request header, choosing its version from the API key and version it starts with.
    /// Throws <see cref="ProtocolException"/> for unknown API keys or malformed headers.
    /// </summary>
    public static RequestHeader ReadHeader(ref KafkaReader reader)
    {
        // Peek at the key and version on a copy; the header is then read from the start.
        var peek = reader;
        var apiKey = peek.ReadInt16();
        var apiVersion = peek.ReadInt16();
        if (!ApiKeys.TryGet(apiKey, out _))
        {
            throw MessageErrors.UnknownApiKey(apiKey);
        }

        var header = new RequestHeader();
        header.Read(ref reader, ApiHeaderVersions.RequestHeaderVersion((ApiKey)apiKey, apiVersion));
        return header;
    }

    /// <summary>
    /// Reads the body for a header read by <see cref="ReadHeader"/>. Throws <see cref="ProtocolException"/>
    /// (UnsupportedVersion) when the header's version is outside the API's valid versions.
    /// </summary>
    public static IApiRequest ReadBody(ref KafkaReader reader, RequestHeader header)
    {
        ArgumentNullException.ThrowIfNull(header);
        var request = ApiKeys.CreateRequest((ApiKey)header.RequestApiKey);
        request.Read(ref reader, header.RequestApiVersion);
        return request;
    }

    /// <summary>Header and body of a whole frame.</summary>
    public static (RequestHeader Header, IApiRequest Body) Read(ReadOnlyMemory<byte> frame)
    {
        var reader = new KafkaReader(frame);
        var header = ReadHeader(ref reader);
        var body = ReadBody(ref reader, header);
        return (header, body);
    }
}
