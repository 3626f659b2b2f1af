using Tributary.Broker.Handlers.Security;
using Tributary.Broker.Network;
using Tributary.Broker.Security;
using Tributary.Protocol;
using Tributary.Protocol.Acls;

namespace Tributary.Broker.Handlers.Admin;

/// <summary>
/// Kafka's rule for the config APIs: a topic's configs need DESCRIBE_CONFIGS / ALTER_CONFIGS on the
/// topic, broker and broker-logger (and client-metrics) configs on the cluster, group configs on the
/// group; a refusal is TOPIC_, CLUSTER_ or GROUP_AUTHORIZATION_FAILED for that resource.
/// </summary>
internal static class ConfigResourceAuthorization
{
    private const sbyte Topic = 2;
    private const sbyte Broker = 4;
    private const sbyte BrokerLogger = 8;
    private const sbyte ClientMetrics = 16;
    private const sbyte Group = 32;

    /// <summary>NONE when allowed (or for resource types the handler rejects itself), else the error to answer.</summary>
    public static ErrorCode Check(RequestAuthorizer authorizer, in RequestContext context, sbyte resourceType, string name, AclOperation operation) => resourceType switch
    {
        Topic => authorizer.AuthorizeTopic(context, operation, name) ? ErrorCode.None : ErrorCode.TopicAuthorizationFailed,
        Broker or BrokerLogger or ClientMetrics => authorizer.AuthorizeCluster(context, operation) ? ErrorCode.None : ErrorCode.ClusterAuthorizationFailed,
        Group => authorizer.AuthorizeGroup(context, operation, name) ? ErrorCode.None : ErrorCode.GroupAuthorizationFailed,
        _ => ErrorCode.None,
    };

    /// <summary>Kafka's default message for an authorization error.</summary>
    public static string Message(ErrorCode error) => error switch
    {
        ErrorCode.TopicAuthorizationFailed => "Topic authorization failed.",
        ErrorCode.GroupAuthorizationFailed => "Group authorization failed.",
        _ => AclApiErrors.ClusterAuthorizationFailed,
    };
}
