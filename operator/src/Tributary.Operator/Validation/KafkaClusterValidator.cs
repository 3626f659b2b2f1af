using System.Globalization;
using Tributary.Operator.Api;
using Tributary.Operator.Rendering;

namespace Tributary.Operator.Validation;

/// <summary>
/// Checks a KafkaCluster before anything is rendered. Each problem is one clear message; the
/// reconciler sets Stalled with them and changes nothing, so a bad edit never destroys brokers.
/// The CRD schema catches most of these at admission; this also covers objects created before a
/// schema change and rules that need status (zone removal).
/// </summary>
public static class KafkaClusterValidator
{
    public static IReadOnlyList<string> Validate(KafkaCluster cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var errors = new List<string>();
        var spec = cluster.Spec;

        var name = cluster.Metadata.Name ?? "";
        if (name.Length > ObjectNames.MaxClusterName)
        {
            errors.Add($"metadata.name '{name}' is {name.Length} characters; at most {ObjectNames.MaxClusterName} leave room for the names of its StatefulSets and pods");
        }

        if (spec.Brokers < 1)
        {
            errors.Add($"spec.brokers must be at least 1 (got {spec.Brokers})");
        }
        else if (spec.Brokers > 999)
        {
            errors.Add($"spec.brokers must be at most 999 (got {spec.Brokers})");
        }

        ValidateZones(cluster, errors);
        ValidateControllers(spec, errors);
        ValidateStorage(spec, errors);
        ValidateResources(spec.Resources, "spec.resources", errors);
        ValidateConfig(spec, errors);
        ValidateListeners(spec, errors);

        if (spec.BrokerReplacement is { } replacement
            && (!DurationParser.TryParse(replacement.NodeNotReadyTimeout, out var timeout) || timeout <= TimeSpan.Zero))
        {
            errors.Add($"spec.brokerReplacement.nodeNotReadyTimeout '{replacement.NodeNotReadyTimeout}' is not a positive duration such as 5m or 90s");
        }

        return errors;
    }

    private static void ValidateZones(KafkaCluster cluster, List<string> errors)
    {
        var zones = cluster.Spec.Zones ?? [];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var zone in zones)
        {
            if (string.IsNullOrWhiteSpace(zone))
            {
                errors.Add("spec.zones must not contain empty names");
            }
            else if (!seen.Add(zone))
            {
                errors.Add($"spec.zones lists '{zone}' more than once");
            }
        }

        if (zones.Count > 0)
        {
            var removed = (cluster.Status?.Zones ?? []).Where(z => !seen.Contains(z)).ToList();
            if (removed.Count > 0)
            {
                errors.Add($"spec.zones no longer lists {string.Join(", ", removed.Select(z => $"'{z}'"))}, but brokers and their volumes live there; zones cannot be removed");
            }
        }
    }

    private static void ValidateControllers(KafkaClusterSpec spec, List<string> errors)
    {
        if (spec.Controllers is not { } controllers)
        {
            return;
        }

        if (controllers.Replicas is < 1 or > 5 || controllers.Replicas % 2 == 0)
        {
            errors.Add($"spec.controllers.replicas must be 1, 3 or 5 (got {controllers.Replicas}): a quorum needs an odd number of voters");
        }
    }

    private static void ValidateStorage(KafkaClusterSpec spec, List<string> errors)
    {
        var size = spec.Storage?.Size.Value;
        if (!QuantityParser.TryParse(size, out var bytes))
        {
            errors.Add($"spec.storage.size '{size}' is not a quantity such as 100Gi");
        }
        else if (bytes < 1)
        {
            errors.Add($"spec.storage.size '{size}' must be positive");
        }
    }

    private static void ValidateResources(ResourceRequirements? resources, string path, List<string> errors)
    {
        foreach (var (kind, map) in new[] { ("requests", resources?.Requests), ("limits", resources?.Limits) })
        {
            foreach (var (resource, quantity) in (map ?? []).OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                if (!QuantityParser.TryParse(quantity.Value, out var value) || value < 0)
                {
                    errors.Add($"{path}.{kind}.{resource} '{quantity.Value}' is not a valid quantity");
                }
            }
        }
    }

    private static void ValidateConfig(KafkaClusterSpec spec, List<string> errors)
    {
        var config = spec.Config ?? [];
        foreach (var key in config.Keys.Where(BrokerConfigPolicy.IsForbidden).Order(StringComparer.Ordinal))
        {
            errors.Add($"spec.config.{key} is managed by the operator and cannot be set");
        }

        foreach (var key in new[] { "default.replication.factor", "min.insync.replicas", "offsets.topic.replication.factor", "transaction.state.log.replication.factor" })
        {
            if (config.TryGetValue(key, out var text) && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
                && value > spec.Brokers && spec.Brokers >= 1)
            {
                errors.Add($"spec.config.{key} is {value} but the cluster has only {spec.Brokers} broker(s)");
            }
        }
    }

    private static void ValidateListeners(KafkaClusterSpec spec, List<string> errors)
    {
        var listeners = spec.Listeners ?? [];
        if (listeners.Count == 0)
        {
            errors.Add("spec.listeners must contain at least one listener");
        }

        var reservedNames = new[] { "controller", "replication", "metrics" };
        var reservedPorts = new[] { ClusterPorts.Controller, ClusterPorts.Replication, ClusterPorts.Metrics };
        var names = new HashSet<string>(StringComparer.Ordinal);
        var ports = new HashSet<int>();
        foreach (var listener in listeners)
        {
            var name = listener.Name ?? "";
            if (!IsListenerName(name))
            {
                errors.Add($"spec.listeners name '{name}' must be 1-11 lower-case letters or digits");
            }
            else if (reservedNames.Contains(name))
            {
                errors.Add($"spec.listeners name '{name}' is reserved");
            }

            if (!names.Add(name))
            {
                errors.Add($"spec.listeners name '{name}' is used more than once");
            }

            if (listener.Port is < 1024 or > 65535)
            {
                errors.Add($"spec.listeners '{name}' port {listener.Port} must be between 1024 and 65535");
            }
            else if (reservedPorts.Contains(listener.Port))
            {
                errors.Add($"spec.listeners '{name}' port {listener.Port} is reserved (9090 controller, 9091 replication, 9404 metrics)");
            }

            if (!ports.Add(listener.Port))
            {
                errors.Add($"spec.listeners port {listener.Port} is used by more than one listener");
            }

            if (listener.Authentication == ListenerAuthentication.Mtls && !listener.Tls)
            {
                errors.Add($"spec.listeners '{name}' uses mtls authentication, which requires tls: true");
            }
        }
    }

    private static bool IsListenerName(string name) =>
        name.Length is >= 1 and <= 11 && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c));
}
