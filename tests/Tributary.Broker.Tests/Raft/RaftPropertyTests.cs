using Tributary.Broker.Raft;
using Xunit;

namespace Tributary.Broker.Tests.Raft;

/// <summary>
/// Randomized runs (fixed seeds, so failures reproduce): crashes, restarts, partitions, message
/// loss and appends at random. The simulator throws on any safety violation (two leaders in an
/// epoch, a high watermark going down, two different committed records at one offset); at the
/// end the network heals and the cluster must converge and commit again (liveness).
/// </summary>
public class RaftPropertyTests
{
    public static TheoryData<int, int> Seeds()
    {
        var data = new TheoryData<int, int>();
        for (var seed = 100; seed < 140; seed++)
        {
            data.Add(seed, seed % 2 == 0 ? 3 : 5);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void SafetyHoldsUnderRandomFaults(int seed, int voterCount) => RunChaos(seed, voterCount, 1500);

    /// <summary>One randomized run; <paramref name="openLog"/> as for <see cref="RaftSimulator"/>.</summary>
    internal static void RunChaos(int seed, int voterCount, int steps, Func<int, IRaftLog?, IRaftLog>? openLog = null)
    {
        var voters = Enumerable.Range(1, voterCount).ToArray();
        var sim = new RaftSimulator(seed, voters, observers: [voterCount + 1], openLog: openLog) { DropRate = 0.05, MaxDelayMs = 30 };
        var chaos = new Random(seed);
        var appended = 0;
        for (var step = 0; step < steps; step++)
        {
            var dice = chaos.Next(1000);
            if (dice < 6)
            {
                var victim = voters[chaos.Next(voters.Length)];
                // Keep crashes to a minority most of the time, but sometimes go below quorum.
                if (sim.Replicas.Count(r => !r.IsAlive) < voterCount / 2 || chaos.Next(4) == 0)
                {
                    sim.Crash(victim);
                }
            }
            else if (dice < 14)
            {
                var dead = sim.Replicas.Where(r => !r.IsAlive).Select(r => r.Id).ToList();
                if (dead.Count > 0)
                {
                    sim.Restart(dead[chaos.Next(dead.Count)]);
                }
            }
            else if (dice < 18)
            {
                var shuffled = sim.Replicas.Select(r => r.Id).OrderBy(_ => chaos.Next()).ToArray();
                var cut = chaos.Next(1, shuffled.Length);
                sim.Partition(shuffled[..cut], shuffled[cut..]);
            }
            else if (dice < 24)
            {
                sim.Heal();
            }
            else if (dice < 124 && sim.Leader is { } leader)
            {
                sim.Append(leader.NodeId, $"s{seed}-{step}");
                appended++;
            }
            else if (dice < 128 && sim.Leader is { } snapshotter && snapshotter.HighWatermark > snapshotter.Log.StartOffset)
            {
                snapshotter.CreateSnapshot(snapshotter.HighWatermark, BitConverter.GetBytes(snapshotter.HighWatermark));
            }

            sim.Step();
        }

        // Heal everything: the cluster must converge on one leader and keep committing.
        sim.Heal();
        sim.DropRate = 0;
        foreach (var replica in sim.Replicas.ToList())
        {
            sim.Restart(replica.Id);
        }

        Assert.True(sim.RunUntil(() => sim.Leader is not null, 3000), "no leader after healing");
        var final = sim.Append(sim.Leader!.NodeId, "final");
        Assert.True(sim.RunUntil(() => sim.AllCaughtUp() && sim.Leader!.HighWatermark > final.LastOffset, 3000), "cluster did not converge");
        sim.CheckCommittedPrefixes();
        Assert.True(appended > 0);
        Assert.True(sim.Committed.Count > 0);
    }
}
