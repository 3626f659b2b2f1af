using Tributary.Operator.Api;

namespace Tributary.Operator.Validation;

/// <summary>Checks a Connector spec.</summary>
public static class ConnectorValidator
{
    private static readonly string[] SpecOwnedKeys = ["connector.class", "tasks.max", "name"];

    public static IReadOnlyList<string> Validate(Connector connector)
    {
        ArgumentNullException.ThrowIfNull(connector);
        var errors = new List<string>();
        var spec = connector.Spec;
        if (string.IsNullOrWhiteSpace(spec.Class))
        {
            errors.Add("spec.class must name a built-in connector class");
        }

        if (spec.TasksMax < 1)
        {
            errors.Add($"spec.tasksMax must be at least 1 (got {spec.TasksMax})");
        }

        if (spec.Replicas < 0)
        {
            errors.Add($"spec.replicas cannot be negative (got {spec.Replicas})");
        }

        foreach (var key in (spec.Config ?? []).Keys.Where(k => SpecOwnedKeys.Contains(k)).Order(StringComparer.Ordinal))
        {
            errors.Add($"spec.config.{key} comes from the spec (class, tasksMax, metadata.name) and cannot be set");
        }

        return errors;
    }
}
