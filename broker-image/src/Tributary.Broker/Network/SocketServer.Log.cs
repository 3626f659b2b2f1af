using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Tributary.Broker.Network;

public sealed partial class SocketServer
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Listener {Listener} accepting connections on {EndPoint}")]
    private static partial void LogListening(ILogger logger, string listener, string endPoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listener {Listener}: accept failed ({Error}); retrying")]
    private static partial void LogAcceptFailed(ILogger logger, string listener, SocketError error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} connections still busy after {TimeoutMs} ms of shutdown; closing them")]
    private static partial void LogShutdownTimeout(ILogger logger, int count, double timeoutMs);
}
