using System.Text;
using Tributary.Protocol;

namespace Tributary.Operator.Controllers.Topics;

/// <summary>A Kafka admin operation failed with a Kafka error code (and the broker's message, when it sent one).</summary>
public sealed class TopicAdminException : Exception
{
    public TopicAdminException()
        : this(ErrorCode.UnknownServerError, null)
    {
    }

    public TopicAdminException(string message)
        : base(message)
    {
        Code = ErrorCode.UnknownServerError;
    }

    public TopicAdminException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = ErrorCode.UnknownServerError;
    }

    public TopicAdminException(ErrorCode code, string? brokerMessage, string? operation = null, Exception? innerException = null)
        : base(Describe(code, brokerMessage, operation), innerException)
    {
        Code = code;
        BrokerMessage = brokerMessage;
    }

    public ErrorCode Code { get; }

    /// <summary>The error_message field of the response, if any.</summary>
    public string? BrokerMessage { get; }

    /// <summary>Kafka's constant name, e.g. INVALID_CONFIG.</summary>
    public string ErrorName => KafkaErrorName(Code);

    /// <summary>
    /// True when only a spec change can fix the failure (bad config, bad partition count, policy, authz),
    /// so the Topic is reported Stalled rather than retried with backoff.
    /// </summary>
    public bool RequiresSpecChange => Code is ErrorCode.InvalidConfig or ErrorCode.InvalidPartitions
        or ErrorCode.InvalidReplicationFactor or ErrorCode.InvalidReplicaAssignment or ErrorCode.PolicyViolation
        or ErrorCode.InvalidTopicException or ErrorCode.InvalidRequest or ErrorCode.TopicAuthorizationFailed
        or ErrorCode.ClusterAuthorizationFailed or ErrorCode.TopicDeletionDisabled or ErrorCode.UnsupportedVersion;

    /// <summary>ErrorCode.InvalidConfig -> "INVALID_CONFIG", as Kafka's tools print it.</summary>
    public static string KafkaErrorName(ErrorCode code)
    {
        if (!Enum.IsDefined(code))
        {
            return "UNKNOWN_ERROR_" + ((short)code).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        var name = code.ToString();
        var sb = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i]))
            {
                sb.Append('_');
            }
            sb.Append(char.ToUpperInvariant(name[i]));
        }
        return sb.ToString();
    }

    private static string Describe(ErrorCode code, string? brokerMessage, string? operation)
    {
        var prefix = operation is null ? "" : operation + " failed: ";
        return string.IsNullOrWhiteSpace(brokerMessage)
            ? $"{prefix}{KafkaErrorName(code)}"
            : $"{prefix}{KafkaErrorName(code)}: {brokerMessage}";
    }
}
