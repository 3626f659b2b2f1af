using System.Text.Json.Serialization;

namespace Tributary.Operator.Api;

/// <summary>How replicated topics are named on the target.</summary>
public enum TopicNameTransformation
{
    /// <summary>Same name as on the source (MSK Replicator "identical topic names").</summary>
    [JsonStringEnumMemberName("Identical")]
    Identical,

    /// <summary>Prefixed with the source alias and a dot ("&lt;source&gt;.orders").</summary>
    [JsonStringEnumMemberName("Prefixed")]
    Prefixed,
}
