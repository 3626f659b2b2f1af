namespace Tributary.Broker.Replication;

/// <summary>
/// A byte-rate limiter: tokens refill at <see cref="Rate"/> bytes per second up to one second's
/// worth; a read may proceed while the balance is positive and its bytes are then charged (so one
/// large batch can overdraw and the next reads wait until the debt is repaid). Thread-safe.
/// </summary>
public sealed class TokenBucket
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private long _rate;
    private double _tokens;
    private long _lastRefill;

    public TokenBucket(long bytesPerSecond, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytesPerSecond);
        _time = time ?? TimeProvider.System;
        _rate = bytesPerSecond;
        _tokens = bytesPerSecond;
        _lastRefill = _time.GetTimestamp();
    }

    public long Rate
    {
        get
        {
            lock (_lock)
            {
                return _rate;
            }
        }

        set
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            lock (_lock)
            {
                Refill();
                _rate = value;
                _tokens = Math.Min(_tokens, value);
            }
        }
    }

    /// <summary>True when a read may proceed now (the balance is positive).</summary>
    public bool TryAcquire()
    {
        lock (_lock)
        {
            Refill();
            return _tokens > 0;
        }
    }

    /// <summary>Charges <paramref name="bytes"/> that were sent or received.</summary>
    public void Record(long bytes)
    {
        lock (_lock)
        {
            Refill();
            _tokens -= bytes;
        }
    }

    /// <summary>How long until the balance is positive again (zero when it is).</summary>
    public TimeSpan TimeUntilAvailable()
    {
        lock (_lock)
        {
            Refill();
            return _tokens > 0 ? TimeSpan.Zero : TimeSpan.FromSeconds((1 - _tokens) / _rate);
        }
    }

    private void Refill()
    {
        var now = _time.GetTimestamp();
        var elapsed = _time.GetElapsedTime(_lastRefill, now).TotalSeconds;
        _lastRefill = now;
        _tokens = Math.Min(_rate, _tokens + (elapsed * _rate));
    }
}
