namespace Tributary.Storage.Tests;

/// <summary>A clock the test moves by hand.</summary>
public sealed class ManualTimeProvider(long startMs = 1_700_000_000_000) : TimeProvider
{
    private long _nowMs = startMs;

    public long NowMs => Interlocked.Read(ref _nowMs);

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeMilliseconds(NowMs);

    public void Advance(long ms) => Interlocked.Add(ref _nowMs, ms);
}
