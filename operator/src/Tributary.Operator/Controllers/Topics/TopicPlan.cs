namespace Tributary.Operator.Controllers.Topics;

/// <summary>
/// The Kafka changes that bring a topic to its spec, plus the changes refused (problems).
/// Refused changes never block the safe ones: a refused partition decrease still lets config drift be repaired.
/// </summary>
public sealed record TopicPlan
{
    /// <summary>The topic does not exist and is to be created with the spec.</summary>
    public bool Create { get; init; }

    /// <summary>Total partition count to grow to, when growing.</summary>
    public int? GrowPartitionsTo { get; init; }

    /// <summary>Config keys to SET (missing or different from spec).</summary>
    public IReadOnlyDictionary<string, string> ConfigSet { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Topic-level overrides absent from spec (set out of band): DELETE reverts them to the default.</summary>
    public IReadOnlyList<string> ConfigDelete { get; init; } = [];

    public IReadOnlyList<TopicProblem> Problems { get; init; } = [];

    public bool HasConfigChanges => ConfigSet.Count > 0 || ConfigDelete.Count > 0;

    public bool HasChanges => Create || GrowPartitionsTo is not null || HasConfigChanges;
}
