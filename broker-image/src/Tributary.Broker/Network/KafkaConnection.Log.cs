using Microsoft.Extensions.Logging;

namespace Tributary.Broker.Network;

// Source-generated log messages (no allocation when the level is off).
internal sealed partial class KafkaConnection
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Connection {ConnectionId} from {Remote} closed: {Reason}")]
    private static partial void LogClosed(ILogger logger, long connectionId, string? remote, CloseReason reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connection {ConnectionId} from {Remote} sent a frame of size {Size} (limit socket.request.max.bytes = {Limit}); closing it")]
    private static partial void LogRejected(ILogger logger, long connectionId, string? remote, int size, int limit);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connection {ConnectionId}: malformed request (api key {ApiKey} v{ApiVersion}): {Reason}; closing it")]
    private static partial void LogProtocolError(ILogger logger, long connectionId, short apiKey, short apiVersion, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Connection {ConnectionId}: handler for api key {ApiKey} v{ApiVersion} failed; closing the connection")]
    private static partial void LogHandlerFailed(ILogger logger, long connectionId, short apiKey, short apiVersion, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Connection {ConnectionId}: unexpected failure in the read loop")]
    private static partial void LogUnexpected(ILogger logger, long connectionId, Exception exception);
}
