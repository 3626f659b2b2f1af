using Tributary.Broker.Network;
using Tributary.Broker.Quorum;
using Tributary.Broker.Requests;
using Tributary.Protocol.Messages;
using Xunit;

namespace Tributary.Broker.Tests.Quorum;

/// <summary>Stands in for the broker's FetchHandler in quorum tests: every fetch goes to the quorum, as FetchHandler routes metadata fetches.</summary>
internal sealed class QuorumOnlyFetchHandler(IQuorumFetchHandler quorum) : RequestHandler<FetchRequest, FetchResponse>(ApiKey.Fetch, 4, 17)
{
    protected override async ValueTask<FetchResponse?> HandleAsync(RequestContext context, RequestHeader header, FetchRequest request, CancellationToken ct)
    {
        Assert.True(quorum.IsQuorumFetch(request));
        return await quorum.HandleAsync(request, header.RequestApiVersion, ct);
    }
}
