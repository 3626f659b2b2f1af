using Tributary.Broker.Metadata;
using Tributary.Broker.Network;
using Tributary.Broker.Requests;
using Tributary.Broker.Security;
using Tributary.Protocol;
using Tributary.Protocol.Acls;
using Tributary.Protocol.Messages;

namespace Tributary.Broker.Handlers.Security;

/// <summary>
/// DescribeAcls v0-3 from this broker's metadata image, as Kafka's AclApis: DESCRIBE on the cluster
/// is required (CLUSTER_AUTHORIZATION_FAILED); without an authorizer the answer is SECURITY_DISABLED;
/// otherwise the ACLs the filter matches (MATCH included), grouped by resource pattern.
/// </summary>
public sealed class DescribeAclsHandler : RequestHandler<DescribeAclsRequest, DescribeAclsResponse>
{
    private readonly IMetadataView _metadata;
    private readonly RequestAuthorizer _authorizer;

    public DescribeAclsHandler(IMetadataView metadata, RequestAuthorizer authorizer)
        : base(ApiKey.DescribeAcls, 0, 3)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(authorizer);
        _metadata = metadata;
        _authorizer = authorizer;
    }

    protected override ValueTask<DescribeAclsResponse?> HandleAsync(RequestContext context, RequestHeader header, DescribeAclsRequest request, CancellationToken ct)
    {
        if (AclApiErrors.Refusal(_authorizer, context, AclOperation.Describe, AclApiErrors.NoAuthorizerOnBroker) is { } refusal)
        {
            return Error(refusal.Error, refusal.Message);
        }

        // Kafka refuses such a filter while parsing the request; an error answer is kinder than a closed connection.
        var filter = AclMessages.FilterOf(request);
        if (filter.Problem is { } problem)
        {
            return Error(ErrorCode.InvalidRequest, problem);
        }

        var acls = _metadata.Current.Acls.Matching(filter).Select(kv => kv.Value);
        return ValueTask.FromResult<DescribeAclsResponse?>(new DescribeAclsResponse { ErrorMessage = null, Resources = AclMessages.Resources(acls) });
    }

    private static ValueTask<DescribeAclsResponse?> Error(ErrorCode error, string message) =>
        ValueTask.FromResult<DescribeAclsResponse?>(new DescribeAclsResponse { ErrorCode = (short)error, ErrorMessage = message });
}
