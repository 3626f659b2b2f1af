using Tributary.Protocol.Messages;
using Tributary.Protocol.Primitives;

namespace Tributary.Protocol.Tests.GoldenVectors;

/// <summary>Builds request/response frames (header + body, without the 4-byte size prefix) for golden tests.</summary>
internal static class Frames
{
    public static byte[] Request(IApiRequest body, short version, int correlationId, string? clientId)
    {
        var headerVersion = ApiHeaderVersions.RequestHeaderVersion(body.ApiKey, version);
        var header = new RequestHeader
        {
            RequestApiKey = (short)body.ApiKey,
            RequestApiVersion = version,
            CorrelationId = correlationId,
            ClientId = clientId,
        };
        return Concat(header, headerVersion, body, version);
    }

    public static byte[] Response(IApiResponse body, short version, int correlationId)
    {
        var header = new ResponseHeader { CorrelationId = correlationId };
        return Concat(header, ApiHeaderVersions.ResponseHeaderVersion(body.ApiKey, version), body, version);
    }

    private static byte[] Concat(IProtocolMessage header, short headerVersion, IProtocolMessage body, short version)
    {
        var buffer = new byte[header.Size(headerVersion) + body.Size(version)];
        var writer = new KafkaWriter(buffer);
        header.Write(ref writer, headerVersion);
        body.Write(ref writer, version);
        return buffer;
    }

    /// <summary>Reads a response frame whose API and version the caller knows (as a client does).</summary>
    public static (ResponseHeader Header, T Body) ReadResponse<T>(byte[] frame, short version)
        where T : IApiResponse, new()
    {
        var body = new T();
        var reader = new KafkaReader(frame);
        var header = new ResponseHeader();
        header.Read(ref reader, ApiHeaderVersions.ResponseHeaderVersion(body.ApiKey, version));
        body.Read(ref reader, version);
        if (!reader.End)
        {
            throw new InvalidOperationException($"{reader.Remaining} bytes left unread");
        }

        return (header, body);
    }
}
