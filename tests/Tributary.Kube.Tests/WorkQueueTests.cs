namespace Tributary.Kube.Tests;

public sealed class WorkQueueTests
{
    private static async Task<string> Next(WorkQueue<string> queue)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var (ok, item) = await queue.GetAsync(cts.Token);
        Assert.True(ok);
        return item;
    }

    [Fact]
    public async Task DuplicateAdds_WhileWaiting_AreProcessedOnce()
    {
        using var queue = new WorkQueue<string>();
        queue.Add("a");
        queue.Add("b");
        queue.Add("a");
        Assert.Equal(2, queue.Count);
        Assert.Equal("a", await Next(queue));
        Assert.Equal("b", await Next(queue));
        Assert.Equal(0, queue.Count);
        Assert.Equal(2, queue.ProcessingCount);
    }

    [Fact]
    public async Task ReAddDuringProcessing_IsRequeuedOnlyAfterDone()
    {
        using var queue = new WorkQueue<string>();
        queue.Add("k");
        Assert.Equal("k", await Next(queue));
        queue.Add("k");
        queue.Add("k");
        Assert.Equal(0, queue.Count);

        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queue.GetAsync(cts.Token));

        queue.Done("k");
        Assert.Equal(1, queue.Count);
        Assert.Equal("k", await Next(queue));
        queue.Done("k");
        Assert.Equal(0, queue.Count);
        Assert.Equal(0, queue.ProcessingCount);
    }

    [Fact]
    public async Task ConcurrentWorkers_NeverProcessTheSameKeyAtOnce()
    {
        using var queue = new WorkQueue<int>();
        var active = new int[4];
        var violations = 0;
        var processed = 0;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        async Task Worker()
        {
            while (true)
            {
                var (ok, key) = await queue.GetAsync(cts.Token);
                if (!ok)
                {
                    return;
                }
                if (Interlocked.Increment(ref active[key]) > 1)
                {
                    Interlocked.Increment(ref violations);
                }
                await Task.Yield();
                Interlocked.Decrement(ref active[key]);
                Interlocked.Increment(ref processed);
                queue.Done(key);
            }
        }

        var workers = Enumerable.Range(0, 4).Select(_ => Task.Run(Worker)).ToArray();
        for (var i = 0; i < 2000; i++)
        {
            queue.Add(i % 4);
            if (i % 50 == 0)
            {
                await Task.Yield();
            }
        }
        await TestObjects.EventuallyAsync(() => Task.FromResult(queue.Count == 0 && queue.ProcessingCount == 0), "queue drained");
        queue.ShutDown();
        await Task.WhenAll(workers);
        Assert.Equal(0, violations);
        Assert.True(processed >= 4);
    }

    [Fact]
    public void ExponentialBackoff_DoublesToCapAndResetsOnForget()
    {
        var limiter = new ExponentialBackoffRateLimiter<string>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000));
        Assert.Equal(TimeSpan.FromMilliseconds(5), limiter.When("x"));
        Assert.Equal(TimeSpan.FromMilliseconds(10), limiter.When("x"));
        Assert.Equal(TimeSpan.FromMilliseconds(20), limiter.When("x"));
        Assert.Equal(TimeSpan.FromMilliseconds(5), limiter.When("y"));
        Assert.Equal(3, limiter.NumRequeues("x"));
        for (var i = 0; i < 100; i++)
        {
            limiter.When("x");
        }
        Assert.Equal(TimeSpan.FromSeconds(1000), limiter.When("x"));
        limiter.Forget("x");
        Assert.Equal(0, limiter.NumRequeues("x"));
        Assert.Equal(TimeSpan.FromMilliseconds(5), limiter.When("x"));
    }

    [Fact]
    public async Task AddRateLimited_WaitsForBackoffOnTheClock()
    {
        var time = new ManualTimeProvider();
        using var queue = new WorkQueue<string>(new ExponentialBackoffRateLimiter<string>(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1)), time);
        queue.AddRateLimited("r");
        queue.AddRateLimited("r");
        Assert.Equal(0, queue.Count);
        Assert.Equal(2, queue.DelayedCount);
        Assert.Equal(2, queue.NumRequeues("r"));

        time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal(0, queue.Count);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, queue.Count);
        Assert.Equal("r", await Next(queue));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(0, queue.Count);
        queue.Done("r");
        Assert.Equal(1, queue.Count);
        queue.Forget("r");
        Assert.Equal(0, queue.NumRequeues("r"));
    }

    [Fact]
    public async Task AddAfter_SchedulesAndShutDownCancelsTimers()
    {
        var time = new ManualTimeProvider();
        using var queue = new WorkQueue<string>(timeProvider: time);
        queue.AddAfter("later", TimeSpan.FromSeconds(30));
        queue.AddAfter("now", TimeSpan.Zero);
        Assert.Equal(1, queue.Count);
        Assert.Equal("now", await Next(queue));
        time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal("later", await Next(queue));

        queue.AddAfter("never", TimeSpan.FromSeconds(5));
        queue.ShutDown();
        Assert.Equal(0, time.PendingTimers);
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task ShutDown_DrainsRemainingItemsThenReleasesWaiters()
    {
        using var queue = new WorkQueue<string>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var waiting = queue.GetAsync(cts.Token);
        Assert.False(waiting.IsCompleted);
        queue.ShutDown();
        var (ok, _) = await waiting;
        Assert.False(ok);

        using var second = new WorkQueue<string>();
        second.Add("left");
        second.ShutDown();
        second.Add("ignored");
        Assert.Equal("left", await Next(second));
        Assert.False((await second.GetAsync(cts.Token)).Ok);
        Assert.True(second.IsShuttingDown);
    }
}
