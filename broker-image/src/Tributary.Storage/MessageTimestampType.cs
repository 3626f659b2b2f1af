namespace Tributary.Storage;

/// <summary>Kafka's <c>message.timestamp.type</c>.</summary>
public enum MessageTimestampType
{
    /// <summary>Keep the producer's timestamps.</summary>
    CreateTime,

    /// <summary>The broker stamps each batch's max timestamp with the append time.</summary>
    LogAppendTime,
}
