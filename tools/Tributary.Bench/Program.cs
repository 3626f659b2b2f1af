using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Tributary.TestSupport;

namespace Tributary.Bench;

/// <summary>
/// make bench: N records of S bytes with Confluent.Kafka (acks=1 and acks=all, 1 and 6
/// partitions) against a Tributary broker writing to disk and against librdkafka's in-memory
/// mock cluster, then consumed back; prints MB/s, records/s, p50/p99/p99.9 produce latency and
/// our/mock ratios. Each target first runs an unmeasured warm-up (JIT, page cache, connections),
/// then every cell runs <c>--repeats</c> times and the median of each figure is reported.
/// Options: --records N, --size BYTES, --repeats R (5), --warmup N (records/10, at least 20,000),
/// --target both|tributary|mock, --bootstrap HOST:PORT (a Tributary broker or cluster already running),
/// --interleave (alternate the targets per repetition; see <see cref="RunAsync"/>).
/// Besides MB/s it prints the CPU seconds per GB produced, of the
/// client process (which hosts the mock) and of our broker process: a steadier figure than MB/s.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var records = IntOption(args, "--records", 1_000_000);
        var size = IntOption(args, "--size", 1024);
        var repeats = Math.Max(1, IntOption(args, "--repeats", 5));
        var warmupRecords = IntOption(args, "--warmup", Math.Max(20_000, records / 10));
        var target = StringOption(args, "--target", "both");
        var external = args.Contains("--bootstrap") ? StringOption(args, "--bootstrap", "") : null;
        var interleave = args.Contains("--interleave");
        if (target is not ("both" or "tributary" or "mock"))
        {
            Console.Error.WriteLine($"--target must be both, tributary or mock, not '{target}'");
            return 2;
        }

        var workloads = new List<Workload>();
        foreach (var partitions in new[] { 1, 6 })
        {
            foreach (var acks in new[] { "1", "all" })
            {
                workloads.Add(new Workload(records, size, partitions, acks));
            }
        }

        // Every workload once: each takes code paths (acks=all waits, six partitions) the others do not, and the JIT should be done with them before the clock runs.
        Workload[] warmups = [.. workloads.Select(w => w with { Records = warmupRecords })];

        RealClients.EnsureLoaded();
        Console.WriteLine($"Tributary bench: {records:N0} records of {size} bytes per workload, Confluent.Kafka over librdkafka {Library.VersionString}");
        Console.WriteLine($"produce: all records, at most {Runner.ProducerQueueRecords:N0} queued in the client, latency = enqueue to delivery report");
        Console.WriteLine("consume: the last <=4 MiB of each partition read 5 times after one unmeasured pass (the mock keeps only 5 MiB per partition)");
        Console.WriteLine($"each target: warm-up of {warmupRecords:N0} records per workload, then every cell {repeats} times{(interleave ? ", alternating targets" : ", one target after the other")}; figures are medians, [min-max] the produce MB/s spread");
        var targets = new List<(string Name, Func<Workload, Task<Result>> RunOnce)>();
        await using var resources = new AsyncDisposables();
        if (target is "both" or "tributary")
        {
            string bootstrap;
            string? logsDir = null;
            Func<TimeSpan>? brokerCpu = null;
            if (external is not null)
            {
                bootstrap = external;
                Console.WriteLine($"tributary broker(s) at {bootstrap} (started elsewhere: no broker CPU figures)");
            }
            else
            {
                var broker = resources.Add(await BrokerProcess.StartAsync(new Dictionary<string, string> { ["num.partitions"] = "1" }));
                bootstrap = broker.BootstrapServers;
                logsDir = Path.Combine(broker.DataDir, "logs");
                Console.WriteLine($"tributary broker on {broker.BootstrapServers}, data in {broker.DataDir} (on disk)");
                var brokerProcess = resources.Add(Process.GetProcessById(broker.Pid));
                brokerCpu = () =>
                {
                    brokerProcess.Refresh();
                    return brokerProcess.TotalProcessorTime;
                };
            }

            var admin = resources.Add(new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build());
            async Task<Result> RunOnce(Workload workload)
            {
                var topic = TopicName(workload);
                await admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = workload.Partitions, ReplicationFactor = 1 }]);
                var result = Runner.Run("tributary", bootstrap, topic, workload, brokerCpu);

                // Each run starts from an empty topic, and the disk does not fill up over the repeats.
                await admin.DeleteTopicsAsync([topic]);
                await WaitUntilDeletedAsync(logsDir, topic);
                return result;
            }

            targets.Add(("tributary", RunOnce));
        }

        if (target is "both" or "mock")
        {
            var mock = resources.Add(MockKafkaCluster.Start(1));
            Console.WriteLine($"librdkafka mock cluster on {mock.BootstrapServers} (in memory)");
            Task<Result> RunOnce(Workload workload)
            {
                var topic = TopicName(workload);
                MockTopics.Create(mock.Producer, topic, workload.Partitions);
                return Task.FromResult(Runner.Run("mock", mock.BootstrapServers, topic, workload, null));
            }

            targets.Add(("mock", RunOnce));
        }

        var results = await RunAsync(targets, workloads, warmups, repeats, interleave);

        if (target == "both")
        {
            Console.WriteLine();
            Console.WriteLine("ratios tributary/mock (produce MB/s, consume MB/s, p99 latency, produce CPU s/GB of client+broker):");
            foreach (var workload in workloads)
            {
                var ours = results.Single(r => r.Target == "tributary" && r.Workload == workload);
                var mock = results.Single(r => r.Target == "mock" && r.Workload == workload);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {workload.Name,-14} produce {ours.ProduceMBps / mock.ProduceMBps,5:F2}x  consume {ours.ConsumeMBps / mock.ConsumeMBps,5:F2}x  p99 {ours.P99Ms / mock.P99Ms,5:F2}x  cpu/GB {ours.TotalCpuPerGB / mock.TotalCpuPerGB,5:F2}x"));
            }
        }

        return 0;
    }

    /// <summary>
    /// Runs every cell <paramref name="repeats"/> times per target, each target warmed up first.
    /// In sequence (the default) each target runs all its cells back to back, as a long-running
    /// broker would see them; interleaved, the repetitions alternate between the targets so that a
    /// neighbour's load on a shared machine falls on both alike.
    /// </summary>
    /// <remarks>
    /// Why sequence is the default: on a VM whose host takes freed guest memory back (virtio-balloon
    /// free page reporting, DAMON pageout; both on in our 2-core sandbox), the page cache a deleted
    /// topic frees is returned to the host within seconds, and writes into it then fault fresh host
    /// pages: `perf` put the page-cache copy at 71% of the broker's CPU while the page cache grew
    /// into such memory (3 GB into one topic), against 18% when runs reuse the pages the previous
    /// run freed. Back to back, each run reuses them, as a broker's page cache is reused on any
    /// machine that keeps its memory; the in-memory mock reuses its heap either way.
    /// </remarks>
    private static async Task<List<Result>> RunAsync(List<(string Name, Func<Workload, Task<Result>> RunOnce)> targets,
        List<Workload> workloads, Workload[] warmups, int repeats, bool interleave)
    {
        var runs = targets.ToDictionary(t => t.Name, _ => workloads.ToDictionary(w => w, _ => new List<Result>()));
        async Task WarmUp(Func<Workload, Task<Result>> runOnce)
        {
            foreach (var warmup in warmups)
            {
                await runOnce(warmup);
            }
        }

        if (interleave)
        {
            foreach (var (_, runOnce) in targets)
            {
                await WarmUp(runOnce);
            }

            foreach (var workload in workloads)
            {
                for (var i = 0; i < repeats; i++)
                {
                    foreach (var (name, runOnce) in targets)
                    {
                        runs[name][workload].Add(await runOnce(workload));
                    }
                }
            }
        }
        else
        {
            foreach (var (name, runOnce) in targets)
            {
                await WarmUp(runOnce);
                foreach (var workload in workloads)
                {
                    for (var i = 0; i < repeats; i++)
                    {
                        runs[name][workload].Add(await runOnce(workload));
                    }
                }
            }
        }

        var medians = new List<Result>();
        foreach (var workload in workloads)
        {
            foreach (var (name, _) in targets)
            {
                medians.Add(Result.Median(runs[name][workload]));
                Print(medians[^1]);
            }
        }

        return medians;
    }

    /// <summary>
    /// The broker removes a deleted topic's files in the background (as Kafka does). Waiting for
    /// that keeps the removal of one run's gigabyte, and its page-cache eviction, out of the next
    /// run's figures: the bench measures producing, not deleting.
    /// </summary>
    private static async Task WaitUntilDeletedAsync(string? logsDir, string topic)
    {
        if (logsDir is null)
        {
            return;
        }

        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (Directory.EnumerateDirectories(logsDir, topic + "-*").Any() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
    }

    private static string TopicName(Workload workload) => $"bench-{workload.Partitions}p-acks{workload.Acks}-{Guid.NewGuid():N}"[..40];

    private static void Print(Result r) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  {r.Target,-9} {r.Workload.Name,-12} produce {r.ProduceMBps,6:F1} MB/s [{r.ProduceSpread.Min,5:F0}-{r.ProduceSpread.Max,-5:F0}] {r.ProduceRecordsPerSec,8:N0} rec/s  p50 {r.P50Ms,7:F2} ms  p99 {r.P99Ms,7:F2} ms  p99.9 {r.P999Ms,7:F2} ms  cpu s/GB client {r.ClientCpuPerGB,5:F2} broker {(double.IsNaN(r.BrokerCpuPerGB) ? (r.Target == "mock" ? "(in client)" : "(elsewhere)") : r.BrokerCpuPerGB.ToString("F2", CultureInfo.InvariantCulture)),-11} | consume {r.ConsumeMBps,6:F1} MB/s {r.ConsumeRecordsPerSec,8:N0} rec/s"));

    private static int IntOption(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static string StringOption(string[] args, string name, string fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
