namespace Tributary.Operator.Rendering;

/// <summary>
/// Decides the ordered zone list a cluster uses. The order fixes broker ids (zone index = position),
/// so zones recorded in status always keep their position and new zones are appended.
/// </summary>
public static class ZonePlanner
{
    /// <summary>
    /// The single logical zone of a cluster whose nodes carry no topology.kubernetes.io/zone label
    /// (kind, k3d, minikube). Brokers in it are not pinned and get no broker.rack.
    /// </summary>
    public const string UnzonedName = "default";

    /// <param name="specZones">spec.zones; null or empty means discover.</param>
    /// <param name="discoveredZones">Distinct zone labels of the schedulable nodes.</param>
    /// <param name="recordedZones">status.zones from earlier reconciles.</param>
    public static IReadOnlyList<string> Resolve(
        IReadOnlyList<string>? specZones, IReadOnlyList<string> discoveredZones, IReadOnlyList<string>? recordedZones)
    {
        ArgumentNullException.ThrowIfNull(discoveredZones);
        var recorded = recordedZones ?? [];
        var result = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);

        void Add(string zone)
        {
            if (!string.IsNullOrEmpty(zone) && seen.Add(zone))
            {
                result.Add(zone);
            }
        }

        if (specZones is { Count: > 0 })
        {
            // Explicit zones: recorded ones keep their index (removals are refused by validation,
            // but a removed zone is still kept here so nothing is destroyed), new ones follow in spec order.
            foreach (var zone in recorded)
            {
                Add(zone);
            }

            foreach (var zone in specZones)
            {
                Add(zone);
            }
        }
        else
        {
            // Discovered zones: a recorded zone stays even if its nodes are gone for now (its volumes are there).
            foreach (var zone in recorded)
            {
                Add(zone);
            }

            foreach (var zone in discoveredZones.Where(z => !string.IsNullOrEmpty(z)).Order(StringComparer.Ordinal))
            {
                Add(zone);
            }
        }

        if (result.Count == 0)
        {
            result.Add(UnzonedName);
        }

        return result;
    }
}
