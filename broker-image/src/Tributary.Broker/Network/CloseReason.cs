namespace Tributary.Broker.Network;

/// <summary>Why the server closed (or saw the close of) a connection; a label in metrics and logs.</summary>
public enum CloseReason
{
    /// <summary>The client closed its side.</summary>
    ClientClosed,

    /// <summary>A size prefix above <c>socket.request.max.bytes</c>.</summary>
    FrameTooLarge,

    /// <summary>A negative size or a frame too short to hold a request header.</summary>
    MalformedFrame,

    /// <summary>The dispatcher threw a ProtocolException.</summary>
    ProtocolError,

    /// <summary>The dispatcher failed unexpectedly (a bug): the connection goes, the broker stays.</summary>
    HandlerFailed,

    /// <summary>No traffic for <c>connections.max.idle.ms</c>.</summary>
    Idle,

    /// <summary>The server is stopping.</summary>
    ServerShutdown,

    /// <summary>Reading or writing the socket failed (reset, broken pipe).</summary>
    SocketError,
}
