using Tributary.Broker.Network;
using Tributary.Protocol.Messages;

namespace Tributary.Broker.Requests;

/// <summary>Typed base for handlers: casts the parsed body to the request type of its API.</summary>
public abstract class RequestHandler<TRequest, TResponse> : IRequestHandler
    where TRequest : class, IApiRequest
    where TResponse : class, IApiResponse
{
    protected RequestHandler(ApiKey key, short minVersion, short maxVersion)
    {
        var info = ApiKeys.Get(key);
        if (minVersion < info.LowestVersion || maxVersion > info.HighestVersion || minVersion > maxVersion)
        {
            throw new ArgumentOutOfRangeException(nameof(maxVersion), $"{key} {minVersion}-{maxVersion} is outside the schema's {info.LowestVersion}-{info.HighestVersion}");
        }

        Key = key;
        MinVersion = minVersion;
        MaxVersion = maxVersion;
    }

    public ApiKey Key { get; }

    public short MinVersion { get; }

    public short MaxVersion { get; }

    async ValueTask<IApiResponse?> IRequestHandler.HandleAsync(RequestContext context, RequestHeader header, IApiRequest request, CancellationToken ct) =>
        await HandleAsync(context, header, (TRequest)request, ct).ConfigureAwait(false);

    void IRequestHandler.ResponseSerialized(IApiResponse response) => ResponseSerialized((TResponse)response);

    int IRequestHandler.GatheredRecordsBytes(IApiResponse response) => GatheredRecordsBytes((TResponse)response);

    protected abstract ValueTask<TResponse?> HandleAsync(RequestContext context, RequestHeader header, TRequest request, CancellationToken ct);

    /// <summary>See <see cref="IRequestHandler.ResponseSerialized"/>.</summary>
    protected virtual void ResponseSerialized(TResponse response)
    {
    }

    /// <summary>See <see cref="IRequestHandler.GatheredRecordsBytes"/>.</summary>
    protected virtual int GatheredRecordsBytes(TResponse response) => 0;
}
