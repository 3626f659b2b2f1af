using Tributary.Broker.Network;
using Tributary.Broker.Quorum;
using Tributary.Broker.Requests;
using Tributary.Protocol.Messages;

namespace Tributary.Broker.Handlers.Quorum;

/// <summary>
/// Base of the KRaft RPC handlers: the request goes to the Raft node through its driver, which
/// answers it on its event loop. Version differences are adapted by <see cref="Adapt"/>.
/// </summary>
public abstract class RaftRequestHandler<TRequest, TResponse> : RequestHandler<TRequest, TResponse>
    where TRequest : class, IApiRequest
    where TResponse : class, IApiResponse
{
    private readonly RaftDriver _driver;

    protected RaftRequestHandler(RaftDriver driver, ApiKey key, short minVersion, short maxVersion)
        : base(key, minVersion, maxVersion)
    {
        ArgumentNullException.ThrowIfNull(driver);
        _driver = driver;
    }

    protected override async ValueTask<TResponse?> HandleAsync(RequestContext context, RequestHeader header, TRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(header);
        Adapt(request, header.RequestApiVersion);
        return (TResponse)await _driver.HandleRequestAsync(request, ct).ConfigureAwait(false);
    }

    /// <summary>Rewrites fields <paramref name="version"/> carries differently into the form the Raft core reads.</summary>
    protected virtual void Adapt(TRequest request, short version)
    {
    }
}
