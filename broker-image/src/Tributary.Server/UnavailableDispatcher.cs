using Tributary.Broker.Network;
using Tributary.Protocol.Primitives;

namespace Tributary.Server;

/// <summary>
/// TEMPORARY until the request handlers land: refuses every request by closing its connection
/// (a ProtocolException makes the network server drop just that connection). Replace it in
/// <see cref="BrokerCommand"/> with the real dispatcher; nothing else refers to it.
/// </summary>
internal sealed class UnavailableDispatcher : IRequestDispatcher
{
    public ValueTask<ResponseFrame?> DispatchAsync(RequestContext ctx, ReadOnlyMemory<byte> frame, CancellationToken ct) =>
        ValueTask.FromException<ResponseFrame?>(new ProtocolException(ProtocolError.UnsupportedApiKey,
            $"api key {ctx.ApiKey}: request handling is not available in this build yet"));
}
