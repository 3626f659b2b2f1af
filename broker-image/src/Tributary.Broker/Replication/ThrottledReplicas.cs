using System.Globalization;

namespace Tributary.Broker.Replication;

/// <summary>
/// A parsed <c>leader.replication.throttled.replicas</c> / <c>follower.replication.throttled.replicas</c>
/// topic config: <c>*</c> (every replica) or a list of <c>partition:broker</c> pairs.
/// Malformed entries are ignored (Kafka validates them when the config is set).
/// </summary>
public sealed class ThrottledReplicas
{
    public static ThrottledReplicas None { get; } = new(false, []);

    private readonly bool _all;
    private readonly HashSet<(int Partition, int Broker)> _pairs;

    private ThrottledReplicas(bool all, HashSet<(int, int)> pairs)
    {
        _all = all;
        _pairs = pairs;
    }

    public static ThrottledReplicas Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return None;
        }

        if (value.Trim() == "*")
        {
            return new ThrottledReplicas(true, []);
        }

        var pairs = new HashSet<(int, int)>();
        foreach (var entry in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = entry.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 &&
                int.TryParse(entry.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var partition) &&
                int.TryParse(entry.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var broker))
            {
                pairs.Add((partition, broker));
            }
        }

        return pairs.Count == 0 ? None : new ThrottledReplicas(false, pairs);
    }

    public bool Contains(int partition, int broker) => _all || _pairs.Contains((partition, broker));
}
