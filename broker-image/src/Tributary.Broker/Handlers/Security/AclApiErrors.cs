using Tributary.Broker.Network;
using Tributary.Broker.Security;
using Tributary.Protocol;
using Tributary.Protocol.Acls;

namespace Tributary.Broker.Handlers.Security;

/// <summary>The messages Kafka's ACL APIs answer with when they refuse a whole request.</summary>
internal static class AclApiErrors
{
    /// <summary>DescribeAcls without an authorizer (Kafka's exact text).</summary>
    public const string NoAuthorizerOnBroker = "No Authorizer is configured on the broker";

    /// <summary>CreateAcls and DeleteAcls without an authorizer (Kafka's exact text).</summary>
    public const string NoAuthorizer = "No Authorizer is configured.";

    /// <summary>Kafka's default message for CLUSTER_AUTHORIZATION_FAILED.</summary>
    public const string ClusterAuthorizationFailed = "Cluster authorization failed.";

    /// <summary>
    /// Why a whole ACL request is refused, or null: the cluster permission the API needs is checked
    /// first, then whether this broker has an authorizer at all (Kafka's AclApis order; without an
    /// authorizer every cluster check passes, so the answer is SECURITY_DISABLED).
    /// </summary>
    public static (ErrorCode Error, string Message)? Refusal(RequestAuthorizer authorizer, RequestContext context, AclOperation clusterOperation,
        string noAuthorizerMessage)
    {
        if (!authorizer.AuthorizeCluster(context, clusterOperation))
        {
            return (ErrorCode.ClusterAuthorizationFailed, ClusterAuthorizationFailed);
        }

        return authorizer.Enabled ? null : (ErrorCode.SecurityDisabled, noAuthorizerMessage);
    }
}
