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
}
