namespace Tributary.Broker.Tests.Controller;

/// <summary>A clock moved by hand; its timers fire only when the test calls <see cref="FireTimers"/>.</summary>
internal sealed class ControllerClock : TimeProvider
{
    private long _ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public override DateTimeOffset GetUtcNow() => new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(GetTimestamp());

    private readonly List<ManualTimer> _timers = [];

    public int TimersCreated { get; private set; }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(callback, state);
        lock (_timers)
        {
            TimersCreated++;
            _timers.Add(timer);
        }

        return timer;
    }

    /// <summary>Runs the callback of every live timer once.</summary>
    public void FireTimers()
    {
        ManualTimer[] live;
        lock (_timers)
        {
            live = [.. _timers.Where(t => !t.Disposed)];
        }

        foreach (var timer in live)
        {
            timer.Fire();
        }
    }

    public int LiveTimers
    {
        get
        {
            lock (_timers)
            {
                return _timers.Count(t => !t.Disposed);
            }
        }
    }

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);

    private sealed class ManualTimer(TimerCallback callback, object? state) : ITimer
    {
        public bool Disposed { get; private set; }

        public void Fire() => callback(state);

        public bool Change(TimeSpan dueTime, TimeSpan period) => !Disposed;

        public void Dispose() => Disposed = true;

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
