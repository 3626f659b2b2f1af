using System.Text.Json.Serialization;

namespace Tributary.Operator.Api;

/// <summary>What happens to the Kafka topic when the Topic resource is deleted.</summary>
public enum DeletionPolicy
{
    [JsonStringEnumMemberName("Delete")]
    Delete,

    [JsonStringEnumMemberName("Retain")]
    Retain,
}
