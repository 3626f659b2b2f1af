using Tributary.Broker.Network;
using Tributary.Broker.Requests;
using Tributary.Broker.Security;
using Tributary.Protocol.Acls;
using Tributary.Protocol.Messages;

namespace Tributary.Broker.Handlers.Security;

/// <summary>
/// Puts an API that Kafka guards with one cluster-level operation behind that check (the KRaft
/// RPCs and broker-to-controller APIs: CLUSTER_ACTION; ElectLeaders and AlterPartitionReassignments:
/// ALTER; ListPartitionReassignments and DescribeQuorum: DESCRIBE). A refused request is answered
/// with the API's CLUSTER_AUTHORIZATION_FAILED response (<see cref="ClusterAuthorizationRefusals"/>)
/// and never reaches the handler. Only installed when an authorizer is configured.
/// </summary>
public sealed class ClusterAuthorizedHandler : IRequestHandler
{
    private readonly IRequestHandler _inner;
    private readonly RequestAuthorizer _authorizer;
    private readonly AclOperation _operation;

    public ClusterAuthorizedHandler(IRequestHandler inner, RequestAuthorizer authorizer, AclOperation operation)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(authorizer);
        _inner = inner;
        _authorizer = authorizer;
        _operation = operation;
    }

    public ApiKey Key => _inner.Key;

    public short MinVersion => _inner.MinVersion;

    public short MaxVersion => _inner.MaxVersion;

    /// <summary><paramref name="handler"/> behind the check when an authorizer is configured, else unchanged (no cost).</summary>
    public static IRequestHandler Guard(IRequestHandler handler, RequestAuthorizer authorizer, AclOperation operation)
    {
        ArgumentNullException.ThrowIfNull(authorizer);
        return authorizer.Enabled ? new ClusterAuthorizedHandler(handler, authorizer, operation) : handler;
    }

    public ValueTask<IApiResponse?> HandleAsync(RequestContext context, RequestHeader header, IApiRequest request, CancellationToken ct) =>
        _authorizer.AuthorizeCluster(context, _operation)
            ? _inner.HandleAsync(context, header, request, ct)
            : ValueTask.FromResult<IApiResponse?>(ClusterAuthorizationRefusals.For(request));

    public void ResponseSerialized(IApiResponse response) => _inner.ResponseSerialized(response);

    public int GatheredRecordsBytes(IApiResponse response) => _inner.GatheredRecordsBytes(response);
}
