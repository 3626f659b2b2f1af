namespace Tributary.Broker.Tests.GroupHandlers;

/// <summary>
/// A <see cref="TimeProvider"/> the test moves by hand, with timers: <see cref="Advance"/> fires
/// every timer that falls due, in due order, on the calling thread, with the clock set to its due time.
/// </summary>
public sealed class TimerClock : TimeProvider
{
    private readonly Lock _lock = new();
    private readonly List<FakeTimer> _timers = [];
    private long _nowMs = 1_700_000_000_000;

    public long NowMs
    {
        get
        {
            lock (_lock)
            {
                return _nowMs;
            }
        }
    }

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeMilliseconds(NowMs);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new FakeTimer(this, callback, state);
        lock (_lock)
        {
            _timers.Add(timer);
        }

        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves time forward, firing due timers (also those due now when <paramref name="milliseconds"/> is 0).</summary>
    public void Advance(long milliseconds)
    {
        long target;
        lock (_lock)
        {
            target = _nowMs + milliseconds;
        }

        while (true)
        {
            FakeTimer? next;
            lock (_lock)
            {
                next = _timers.Where(t => t.DueMs is { } due && due <= target).MinBy(t => t.DueMs);
                if (next is null)
                {
                    _nowMs = target;
                    return;
                }

                _nowMs = Math.Max(_nowMs, next.DueMs!.Value);
                next.DueMs = next.PeriodMs is { } period ? _nowMs + period : null;
            }

            next.Fire();
        }
    }

    private void Remove(FakeTimer timer)
    {
        lock (_lock)
        {
            _timers.Remove(timer);
        }
    }

    private sealed class FakeTimer(TimerClock clock, TimerCallback callback, object? state) : ITimer
    {
        public long? DueMs { get; set; }

        public long? PeriodMs { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (clock._lock)
            {
                DueMs = dueTime == Timeout.InfiniteTimeSpan ? null : clock._nowMs + (long)dueTime.TotalMilliseconds;
                PeriodMs = period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero ? null : (long)period.TotalMilliseconds;
            }

            return true;
        }

        public void Fire() => callback(state);

        public void Dispose()
        {
            lock (clock._lock)
            {
                DueMs = null;
            }

            clock.Remove(this);
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
