using Tributary.FakeKube;

namespace Tributary.Kube.Tests;

public sealed class LeaderElectionTests
{
    private static LeaderElector Candidate(IKubeClient client, string id, TimeProvider time) => new(client, new LeaderElectionOptions
    {
        LeaseName = "tributary-operator",
        LeaseNamespace = "default",
        Identity = id,
        LeaseDuration = TimeSpan.FromSeconds(15),
        RenewDeadline = TimeSpan.FromSeconds(10),
        RetryPeriod = TimeSpan.FromSeconds(2),
        TimeProvider = time,
    });

    [Fact]
    public async Task OneLeader_ThenTakeoverAfterExpiry()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        var time = new ManualTimeProvider();
        var a = Candidate(client, "pod-a", time);
        var b = Candidate(client, "pod-b", time);
        var log = new List<string>();
        a.OnStartedLeading += () => log.Add("a started");
        a.OnStoppedLeading += () => log.Add("a stopped");
        b.OnStartedLeading += () => log.Add("b started");
        b.OnNewLeader += id => log.Add("b sees " + id);

        Assert.True(await a.TryAcquireOrRenewAsync());
        Assert.False(await b.TryAcquireOrRenewAsync());
        Assert.True(a.IsLeader);
        Assert.False(b.IsLeader);

        var lease = await client.GetAsync(ResourceDescriptor.Leases, "default", "tributary-operator");
        Assert.Equal("pod-a", lease["spec"]!["holderIdentity"]!.GetValue<string>());
        Assert.Equal(15, lease["spec"]!["leaseDurationSeconds"]!.GetValue<int>());
        Assert.Equal(0, lease["spec"]!["leaseTransitions"]!.GetValue<int>());
        Assert.NotNull(lease["spec"]!["acquireTime"]);

        // A renews in time: B stays a follower even well past one lease duration in total.
        for (var i = 0; i < 10; i++)
        {
            time.Advance(TimeSpan.FromSeconds(5));
            Assert.True(await a.TryAcquireOrRenewAsync());
            Assert.False(await b.TryAcquireOrRenewAsync());
        }
        var renewed = await client.GetAsync(ResourceDescriptor.Leases, "default", "tributary-operator");
        Assert.Equal(lease["spec"]!["acquireTime"]!.GetValue<string>(), renewed["spec"]!["acquireTime"]!.GetValue<string>());
        Assert.NotEqual(lease["spec"]!["renewTime"]!.GetValue<string>(), renewed["spec"]!["renewTime"]!.GetValue<string>());

        // A stops renewing; B takes over only once the lease has expired by its own clock.
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.False(await b.TryAcquireOrRenewAsync());
        time.Advance(TimeSpan.FromSeconds(6));
        Assert.True(await b.TryAcquireOrRenewAsync());
        Assert.True(b.IsLeader);

        var taken = await client.GetAsync(ResourceDescriptor.Leases, "default", "tributary-operator");
        Assert.Equal("pod-b", taken["spec"]!["holderIdentity"]!.GetValue<string>());
        Assert.Equal(1, taken["spec"]!["leaseTransitions"]!.GetValue<int>());

        // A notices it lost the lease.
        Assert.False(await a.TryAcquireOrRenewAsync());
        Assert.False(a.IsLeader);
        Assert.Equal("pod-b", a.ObservedLeader);
        Assert.Equal(["a started", "b sees pod-a", "b sees pod-b", "b started", "a stopped"], log);
    }

    [Fact]
    public async Task Release_LetsTheOtherCandidateTakeOverImmediately()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        var time = new ManualTimeProvider();
        var a = Candidate(client, "pod-a", time);
        var b = Candidate(client, "pod-b", time);
        var stopped = 0;
        a.OnStoppedLeading += () => stopped++;

        Assert.True(await a.TryAcquireOrRenewAsync());
        Assert.False(await b.TryAcquireOrRenewAsync());
        await a.ReleaseAsync();
        Assert.False(a.IsLeader);
        Assert.Equal(1, stopped);
        Assert.True(await b.TryAcquireOrRenewAsync());
    }

    [Fact]
    public async Task ConcurrentCandidates_ExactlyOneWins()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        var time = new ManualTimeProvider();
        var candidates = Enumerable.Range(0, 5).Select(i => Candidate(client, $"pod-{i}", time)).ToList();
        var results = await Task.WhenAll(candidates.Select(c => Task.Run(() => c.TryAcquireOrRenewAsync())));
        Assert.Equal(1, results.Count(r => r));
        var lease = await client.GetAsync(ResourceDescriptor.Leases, "default", "tributary-operator");
        var winner = candidates[Array.IndexOf(results, true)];
        Assert.True(winner.IsLeader);
        Assert.Equal(lease["spec"]!["holderIdentity"]!.GetValue<string>(), $"pod-{candidates.IndexOf(winner)}");
    }

    [Fact]
    public async Task RunAsync_LeadsAndReleasesOnCancellation()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        var elector = new LeaderElector(client, new LeaderElectionOptions
        {
            LeaseName = "run",
            LeaseNamespace = "default",
            Identity = "solo",
            RetryPeriod = TimeSpan.FromMilliseconds(20),
        });
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        elector.OnStartedLeading += () => started.TrySetResult();
        using var cts = new CancellationTokenSource();
        var run = elector.RunAsync(cts.Token);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await cts.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(elector.IsLeader);
        var lease = await client.GetAsync(ResourceDescriptor.Leases, "default", "run");
        Assert.Equal("", lease["spec"]!["holderIdentity"]!.GetValue<string>());
    }
}
