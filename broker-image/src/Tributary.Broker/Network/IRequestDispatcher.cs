namespace Tributary.Broker.Network;

/// <summary>
/// The seam between the network server and the request layer. The server calls
/// <see cref="DispatchAsync"/> once per request frame, in arrival order, possibly with several
/// requests of one connection in flight; it writes the responses in request order whatever order
/// the tasks complete in.
/// </summary>
public interface IRequestDispatcher
{
    /// <summary>
    /// Handles one request.
    /// <para><paramref name="frame"/> is the whole request after the 4-byte size prefix: request
    /// header then body. It stays valid until the returned task completes and must not be used
    /// after that (it returns to a pool); copy anything needed longer.</para>
    /// <para>Return a <see cref="ResponseFrame"/> (ownership passes to the server, which disposes it
    /// after sending), or null for "no response" (Produce with acks=0). Complete the task later for
    /// long-polls and acks=all; never block a thread.</para>
    /// <para>Throw <see cref="Tributary.Protocol.Primitives.ProtocolException"/> for input that cannot
    /// be answered: the server closes this connection only. <paramref name="ct"/> is cancelled when
    /// the connection closes or the server stops hard.</para>
    /// </summary>
    ValueTask<ResponseFrame?> DispatchAsync(RequestContext ctx, ReadOnlyMemory<byte> frame, CancellationToken ct);
}
