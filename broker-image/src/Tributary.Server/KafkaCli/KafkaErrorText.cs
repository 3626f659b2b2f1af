using Tributary.Client.Admin;
using Tributary.Protocol;

namespace Tributary.Server.KafkaCli;

/// <summary>
/// The text Kafka's tools print for a broker error: the broker's own message when it sent one,
/// otherwise Kafka's default message for the error code (org.apache.kafka.common.protocol.Errors).
/// </summary>
public static class KafkaErrorText
{
    private static readonly Dictionary<ErrorCode, string> Defaults = new()
    {
        [ErrorCode.UnknownServerError] = "The server experienced an unexpected error when processing the request.",
        [ErrorCode.UnknownTopicOrPartition] = "This server does not host this topic-partition.",
        [ErrorCode.RequestTimedOut] = "The request timed out.",
        [ErrorCode.InvalidTopicException] = "The request attempted to perform an operation on an invalid topic.",
        [ErrorCode.TopicAuthorizationFailed] = "Topic authorization failed.",
        [ErrorCode.GroupAuthorizationFailed] = "Group authorization failed.",
        [ErrorCode.ClusterAuthorizationFailed] = "Cluster authorization failed.",
        [ErrorCode.UnsupportedVersion] = "The version of API is not supported.",
        [ErrorCode.TopicAlreadyExists] = "Topic with this name already exists.",
        [ErrorCode.InvalidPartitions] = "Number of partitions is below 1.",
        [ErrorCode.InvalidReplicationFactor] = "Replication factor is below 1 or larger than the number of available brokers.",
        [ErrorCode.InvalidReplicaAssignment] = "Replica assignment is invalid.",
        [ErrorCode.InvalidConfig] = "Configuration is invalid.",
        [ErrorCode.NotController] = "This is not the correct controller for this cluster.",
        [ErrorCode.InvalidRequest] = "This most likely occurs because of a request being malformed by the client library or the message was sent to an incompatible broker. See the broker logs for more details.",
        [ErrorCode.PolicyViolation] = "Request parameters do not satisfy the configured policy.",
        [ErrorCode.SecurityDisabled] = "Security features are disabled.",
        [ErrorCode.TopicDeletionDisabled] = "Topic deletion is disabled.",
    };

    public static string Of(ErrorCode error, string? brokerMessage) =>
        !string.IsNullOrWhiteSpace(brokerMessage) ? brokerMessage
        : Defaults.TryGetValue(error, out var text) ? text
        : $"{error} (error code {(short)error})";

    public static string Of(AdminResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return Of(result.Error, result.ErrorMessage);
    }
}
