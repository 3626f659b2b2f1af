namespace Tributary.Client.Cluster;

/// <summary>Exponential backoff between retries: initial, doubled each attempt, capped.</summary>
public readonly record struct RetryBackoff(TimeSpan Initial, TimeSpan Max)
{
    /// <summary>The delay before retry number <paramref name="attempt"/> (0 for the first retry).</summary>
    public TimeSpan Delay(int attempt)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(attempt);
        var factor = Math.Pow(2, Math.Min(attempt, 30));
        var ticks = Math.Min(Initial.Ticks * factor, Max.Ticks);
        return TimeSpan.FromTicks((long)Math.Max(ticks, 0));
    }
}
