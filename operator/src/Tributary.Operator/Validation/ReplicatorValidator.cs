using System.Text.RegularExpressions;
using Tributary.Operator.Api;

namespace Tributary.Operator.Validation;

/// <summary>Checks a Replicator spec: one source, compilable filters, no replication loop onto itself.</summary>
public static class ReplicatorValidator
{
    public static IReadOnlyList<string> Validate(Replicator replicator)
    {
        ArgumentNullException.ThrowIfNull(replicator);
        var errors = new List<string>();
        var spec = replicator.Spec;
        var hasRef = spec.Source?.ClusterRef is not null;
        var hasBootstrap = !string.IsNullOrWhiteSpace(spec.Source?.BootstrapServers);
        if (hasRef == hasBootstrap)
        {
            errors.Add("spec.source must set exactly one of clusterRef or bootstrapServers");
        }

        if (hasRef && spec.Source!.ClusterRef!.Name == spec.Target?.ClusterRef?.Name
            && spec.TopicNameTransformation == TopicNameTransformation.Identical)
        {
            errors.Add("spec.source and spec.target are the same cluster with Identical topic names: records would be replicated onto themselves");
        }

        CheckFilter(spec.Topics, "spec.topics", errors);
        CheckFilter(spec.ConsumerGroups, "spec.consumerGroups", errors);

        if (spec.Replicas < 0)
        {
            errors.Add($"spec.replicas cannot be negative (got {spec.Replicas})");
        }

        return errors;
    }

    private static void CheckFilter(NameFilter? filter, string path, List<string> errors)
    {
        foreach (var (kind, patterns) in new[] { ("include", filter?.Include), ("exclude", filter?.Exclude) })
        {
            foreach (var pattern in patterns ?? [])
            {
                try
                {
                    _ = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
                }
                catch (ArgumentException e)
                {
                    errors.Add($"{path}.{kind} pattern '{pattern}' is not a valid regular expression: {e.Message}");
                }
            }
        }
    }
}
