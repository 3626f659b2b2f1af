using Tributary.Operator.Api;

namespace Tributary.Operator.Rendering;

/// <summary>
/// The broker id, zone and ordinal mapping of a cluster. Documented contract:
/// <list type="bullet">
/// <item>Brokers are spread as evenly as possible: zone z (0-based) gets brokers/zones, plus one when z &lt; brokers % zones.</item>
/// <item>A broker's id is zoneIndex * 1000 + ordinal, where ordinal is its StatefulSet ordinal in its zone.
/// Ids never change when brokers are added (new ordinals) and zone indexes never change (status.zones is append-only).</item>
/// <item>Dedicated controllers have ids 9000 + ordinal, in one StatefulSet spread over zones.</item>
/// <item>Combined mode voters: brokers ordered by (ordinal, zone index), first min(controllers.replicas, largest odd number &lt;= brokers);
/// with 3 zones and replicas 3 that is the ordinal-0 broker of each zone.</item>
/// </list>
/// </summary>
public sealed class ClusterLayout
{
    public const int ZoneIdStride = 1000;

    public const int ControllerIdBase = 9000;

    private ClusterLayout(IReadOnlyList<string> zones, IReadOnlyList<int> brokersPerZone, IReadOnlyList<NodeSlot> brokers, IReadOnlyList<NodeSlot> controllers)
    {
        Zones = zones;
        BrokersPerZone = brokersPerZone;
        Brokers = brokers;
        Controllers = controllers;
        Voters = brokers.Concat(controllers).Where(n => n.IsVoter).OrderBy(n => n.Id).ToList();
    }

    /// <summary>Resolved zones; index = zone index.</summary>
    public IReadOnlyList<string> Zones { get; }

    /// <summary>Replicas of each zone's broker StatefulSet, by zone index.</summary>
    public IReadOnlyList<int> BrokersPerZone { get; }

    /// <summary>All brokers, ordered by id.</summary>
    public IReadOnlyList<NodeSlot> Brokers { get; }

    /// <summary>Dedicated controllers (empty in Combined mode), ordered by id.</summary>
    public IReadOnlyList<NodeSlot> Controllers { get; }

    /// <summary>KRaft voters, ordered by id.</summary>
    public IReadOnlyList<NodeSlot> Voters { get; }

    /// <summary>Every node (brokers then controllers).</summary>
    public IEnumerable<NodeSlot> AllNodes => Brokers.Concat(Controllers);

    /// <summary>The number of voters in Combined mode.</summary>
    public static int CombinedVoterCount(int brokers, int replicas)
    {
        var largestOdd = brokers % 2 == 1 ? brokers : brokers - 1;
        return Math.Max(1, Math.Min(replicas, largestOdd));
    }

    public static ClusterLayout Compute(string clusterName, KafkaClusterSpec spec, IReadOnlyList<string> zones)
    {
        ArgumentNullException.ThrowIfNull(clusterName);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(zones);
        if (zones.Count == 0)
        {
            throw new ArgumentException("at least one zone is required (see ZonePlanner.Resolve)", nameof(zones));
        }

        var brokerCount = Math.Max(0, spec.Brokers);
        var perZone = new int[zones.Count];
        for (var z = 0; z < zones.Count; z++)
        {
            perZone[z] = (brokerCount / zones.Count) + (z < brokerCount % zones.Count ? 1 : 0);
        }

        var controllers = spec.Controllers ?? new ControllersSpec();
        var combined = controllers.Mode == ControllerMode.Combined;
        var combinedVoters = combined ? CombinedVoterCount(brokerCount, controllers.Replicas) : 0;

        var ordered = new List<(int Ordinal, int Zone)>();
        for (var z = 0; z < zones.Count; z++)
        {
            for (var o = 0; o < perZone[z]; o++)
            {
                ordered.Add((o, z));
            }
        }

        var voterKeys = ordered.OrderBy(x => x.Ordinal).ThenBy(x => x.Zone).Take(combinedVoters).ToHashSet();
        var brokers = ordered
            .Select(x =>
            {
                var sts = ObjectNames.BrokerStatefulSet(clusterName, zones[x.Zone]);
                var pod = ObjectNames.Pod(sts, x.Ordinal);
                return new NodeSlot(
                    (x.Zone * ZoneIdStride) + x.Ordinal, NodeRole.Broker, zones[x.Zone], x.Zone, x.Ordinal, sts, pod,
                    ObjectNames.Pvc(pod), voterKeys.Contains(x));
            })
            .OrderBy(n => n.Id)
            .ToList();

        var dedicated = new List<NodeSlot>();
        if (!combined)
        {
            var sts = ObjectNames.ControllerStatefulSet(clusterName);
            for (var o = 0; o < Math.Max(1, controllers.Replicas); o++)
            {
                var pod = ObjectNames.Pod(sts, o);
                dedicated.Add(new NodeSlot(ControllerIdBase + o, NodeRole.Controller, null, -1, o, sts, pod, ObjectNames.Pvc(pod), true));
            }
        }

        return new ClusterLayout(zones, perZone, brokers, dedicated);
    }
}
