using System.Globalization;

namespace Tributary.Operator.Controllers.Topics;

/// <summary>Pure diff of a topic's desired shape against what Kafka reports.</summary>
public static class TopicPlanner
{
    /// <param name="partitions">spec.partitions.</param>
    /// <param name="replicationFactor">spec.replicationFactor.</param>
    /// <param name="config">spec.config (null = no overrides).</param>
    /// <param name="actual">What Kafka has, or null when the topic does not exist.</param>
    public static TopicPlan Plan(int partitions, int replicationFactor, IReadOnlyDictionary<string, string>? config, TopicDescription? actual)
    {
        var desired = config ?? new Dictionary<string, string>();
        if (actual is null)
        {
            return new TopicPlan { Create = true };
        }

        var problems = new List<TopicProblem>();
        int? growTo = null;
        if (partitions > actual.Partitions)
        {
            growTo = partitions;
        }
        else if (partitions < actual.Partitions)
        {
            problems.Add(new TopicProblem(TopicReasons.PartitionDecreaseNotSupported, string.Format(CultureInfo.InvariantCulture,
                "spec.partitions {0} is less than the topic's {1} partitions: Kafka cannot remove partitions; set spec.partitions back to at least {1}",
                partitions, actual.Partitions)));
        }

        if (replicationFactor != actual.ReplicationFactor)
        {
            problems.Add(new TopicProblem(TopicReasons.ReplicationFactorChangeNotSupported, string.Format(CultureInfo.InvariantCulture,
                "spec.replicationFactor {0} differs from the topic's replication factor {1}: changing it needs a partition reassignment, which the operator does not do yet",
                replicationFactor, actual.ReplicationFactor)));
        }

        var set = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in desired)
        {
            if (!actual.Configs.TryGetValue(key, out var current) || !string.Equals(current, value, StringComparison.Ordinal))
            {
                set[key] = value;
            }
        }
        var delete = actual.Configs.Keys
            .Where(k => !desired.ContainsKey(k))
            .Order(StringComparer.Ordinal)
            .ToList();

        return new TopicPlan
        {
            GrowPartitionsTo = growTo,
            ConfigSet = new Dictionary<string, string>(set, StringComparer.Ordinal),
            ConfigDelete = delete,
            Problems = problems,
        };
    }
}
