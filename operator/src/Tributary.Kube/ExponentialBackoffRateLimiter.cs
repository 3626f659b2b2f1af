namespace Tributary.Kube;

/// <summary>Per-item exponential backoff: base, 2x base, 4x base, ... capped at max; reset by Forget.</summary>
public sealed class ExponentialBackoffRateLimiter<T> : IRateLimiter<T>
    where T : notnull
{
    private readonly Dictionary<T, int> _failures = [];
    private readonly Lock _lock = new();
    private readonly TimeSpan _baseDelay;
    private readonly TimeSpan _maxDelay;

    public ExponentialBackoffRateLimiter(TimeSpan? baseDelay = null, TimeSpan? maxDelay = null)
    {
        _baseDelay = baseDelay ?? TimeSpan.FromMilliseconds(5);
        _maxDelay = maxDelay ?? TimeSpan.FromSeconds(1000);
    }

    public TimeSpan When(T item)
    {
        int exponent;
        lock (_lock)
        {
            _failures.TryGetValue(item, out exponent);
            _failures[item] = exponent + 1;
        }
        // Past 2^40 the cap always wins; clamping avoids double overflow.
        var ticks = _baseDelay.Ticks * Math.Pow(2, Math.Min(exponent, 40));
        return ticks >= _maxDelay.Ticks ? _maxDelay : TimeSpan.FromTicks((long)ticks);
    }

    public void Forget(T item)
    {
        lock (_lock)
        {
            _failures.Remove(item);
        }
    }

    public int NumRequeues(T item)
    {
        lock (_lock)
        {
            return _failures.TryGetValue(item, out var n) ? n : 0;
        }
    }
}
