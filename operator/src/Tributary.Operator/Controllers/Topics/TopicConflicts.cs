namespace Tributary.Operator.Controllers.Topics;

/// <summary>
/// Several Topic resources may name the same Kafka topic in the same cluster. Exactly one owns it:
/// the oldest by creationTimestamp, then by uid (ordinal), so every operator replica and every
/// reconcile agrees without coordination. The others are Stalled and never touch the topic.
/// </summary>
public static class TopicConflicts
{
    public static TopicClaim Winner(IEnumerable<TopicClaim> claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        TopicClaim? best = null;
        foreach (var claim in claims)
        {
            if (best is null || Compare(claim, best) < 0)
            {
                best = claim;
            }
        }
        return best ?? throw new ArgumentException("at least one claim is required", nameof(claims));
    }

    /// <summary>Negative when <paramref name="a"/> has precedence over <paramref name="b"/>.</summary>
    public static int Compare(TopicClaim a, TopicClaim b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var byTime = (a.CreationTimestamp, b.CreationTimestamp) switch
        {
            (null, null) => 0,
            (null, _) => 1,
            (_, null) => -1,
            var (x, y) => x.Value.CompareTo(y.Value),
        };
        return byTime != 0 ? byTime : string.CompareOrdinal(a.Uid, b.Uid);
    }
}
