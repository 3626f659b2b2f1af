using Tributary.Broker.Network;
using Tributary.Broker.Requests;
using Tributary.Protocol.Messages;

namespace Tributary.Broker.Tests.Cluster;

/// <summary>A handler that answers with a function of the request and counts what it served.</summary>
internal sealed class StubHandler<TRequest, TResponse> : RequestHandler<TRequest, TResponse>
    where TRequest : class, IApiRequest
    where TResponse : class, IApiResponse
{
    private readonly Func<TRequest, TResponse> _answer;
    private int _calls;

    public StubHandler(ApiKey key, Func<TRequest, TResponse> answer)
        : base(key, ApiKeys.Get(key).LowestVersion, ApiKeys.Get(key).HighestVersion) => _answer = answer;

    public int Calls => Volatile.Read(ref _calls);

    protected override ValueTask<TResponse?> HandleAsync(RequestContext context, RequestHeader header, TRequest request, CancellationToken ct)
    {
        Interlocked.Increment(ref _calls);
        return ValueTask.FromResult<TResponse?>(_answer(request));
    }
}
