using Microsoft.Extensions.Logging;
using Tributary.Broker.Network;
using Tributary.Protocol;
using Tributary.Protocol.Messages;
using Tributary.Protocol.Primitives;

namespace Tributary.Broker.Requests;

/// <summary>
/// Turns request frames into handler calls and handler results into response frames. Unknown API
/// keys and malformed frames close the connection (a ProtocolException propagates); an unsupported
/// ApiVersions version is answered in v0 with UNSUPPORTED_VERSION so the client can downgrade,
/// as KIP-511 requires; other unsupported versions close the connection, as Kafka does.
/// </summary>
public sealed partial class RequestDispatcher : IRequestDispatcher
{
    private readonly HandlerTable _handlers;
    private readonly ILogger _logger;

    public RequestDispatcher(HandlerTable handlers, ILogger<RequestDispatcher> logger)
    {
        _handlers = handlers;
        _logger = logger;
    }

    public ValueTask<ResponseFrame?> DispatchAsync(RequestContext ctx, ReadOnlyMemory<byte> frame, CancellationToken ct)
    {
        var reader = new KafkaReader(frame);
        var header = RequestFrameReader.ReadHeader(ref reader);
        var handler = _handlers.Find(header.RequestApiKey);
        if (handler is null)
        {
            throw new ProtocolException(ProtocolError.UnsupportedApiKey, $"API key {header.RequestApiKey} is not served by this broker");
        }

        var version = header.RequestApiVersion;
        if (version < handler.MinVersion || version > handler.MaxVersion)
        {
            if (handler.Key == ApiKey.ApiVersions)
            {
                return ValueTask.FromResult<ResponseFrame?>(UnsupportedApiVersions(header));
            }

            throw new ProtocolException(ProtocolError.UnsupportedVersion, $"{handler.Key} v{version} is outside {handler.MinVersion}-{handler.MaxVersion}");
        }

        var body = RequestFrameReader.ReadBody(ref reader, header);
        var pending = handler.HandleAsync(ctx, header, body, ct);
        if (pending.IsCompletedSuccessfully)
        {
            return ValueTask.FromResult(SerializeAndRelease(handler, header, pending.Result));
        }

        return AwaitAndSerialize(handler, header, pending);
    }

    private static async ValueTask<ResponseFrame?> AwaitAndSerialize(IRequestHandler handler, RequestHeader header, ValueTask<IApiResponse?> pending) =>
        SerializeAndRelease(handler, header, await pending.ConfigureAwait(false));

    private static ResponseFrame? SerializeAndRelease(IRequestHandler handler, RequestHeader header, IApiResponse? response)
    {
        if (response is null)
        {
            return null;
        }

        var gathered = handler.GatheredRecordsBytes(response);
        if (gathered > 0)
        {
            // The frame sends those records from the handler's buffers, so they are released
            // when it is disposed (after sending), not now.
            return Serialize(header, response, gathered, () => handler.ResponseSerialized(response));
        }

        try
        {
            return Serialize(header, response);
        }
        finally
        {
            handler.ResponseSerialized(response);
        }
    }

    /// <summary>Writes response header + body into one pooled frame of exactly the right size.</summary>
    public static ResponseFrame? Serialize(RequestHeader header, IApiResponse? response) =>
        response is null ? null : Serialize(header, response, 0, null);

    /// <summary>
    /// As <see cref="Serialize(RequestHeader, IApiResponse?)"/>; with <paramref name="gatheredBytes"/>
    /// above 0 the frame leaves that many bytes of records out of its buffer and sends them from
    /// their own (see <see cref="ResponseFrame.RentGathered"/>), and <paramref name="release"/>
    /// runs when the frame is disposed (also when writing it fails).
    /// </summary>
    public static ResponseFrame Serialize(RequestHeader header, IApiResponse response, int gatheredBytes, Action? release)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (gatheredBytes > 0)
        {
            ArgumentNullException.ThrowIfNull(release);
        }

        var key = (ApiKey)header.RequestApiKey;
        var version = header.RequestApiVersion;
        var responseHeader = new ResponseHeader { CorrelationId = header.CorrelationId };
        var headerVersion = ApiHeaderVersions.ResponseHeaderVersion(key, version);
        var size = responseHeader.Size(headerVersion) + response.Size(version);
        ResponseFrame frame;
        try
        {
            frame = release is null ? ResponseFrame.Rent(size) : ResponseFrame.RentGathered(size, gatheredBytes, release);
        }
        catch
        {
            release?.Invoke();
            throw;
        }

        try
        {
            var writer = new KafkaWriter(frame.Span, gatheredBytes > 0 ? frame : null);
            responseHeader.Write(ref writer, headerVersion);
            response.Write(ref writer, version);
            if (writer.Position != frame.Span.Length)
            {
                throw new InvalidOperationException($"{key} v{version}: wrote {writer.Position} of the frame's {frame.Span.Length} bytes; a Size() or the gathered count is wrong");
            }

            return frame;
        }
        catch
        {
            frame.Dispose();
            throw;
        }
    }

    private ResponseFrame UnsupportedApiVersions(RequestHeader header)
    {
        LogUnsupportedApiVersions(header.RequestApiVersion, header.ClientId);
        var response = ApiVersionsHandler.Build(_handlers, ErrorCode.UnsupportedVersion);
        // KIP-511: the error response is written in v0, which every client can parse.
        var v0 = new RequestHeader { RequestApiKey = header.RequestApiKey, RequestApiVersion = 0, CorrelationId = header.CorrelationId };
        return Serialize(v0, response)!;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "ApiVersions v{Version} from {ClientId} is unsupported; answering in v0")]
    private partial void LogUnsupportedApiVersions(short version, string? clientId);
}
