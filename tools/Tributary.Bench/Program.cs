using System.Globalization;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Tributary.TestSupport;

namespace Tributary.Bench;

/// <summary>
/// make bench: N records of S bytes with Confluent.Kafka (acks=1 and acks=all, 1 and 6
/// partitions) against a Tributary broker writing to disk and against librdkafka's in-memory
/// mock cluster, then consumed back; prints MB/s, records/s, p50/p99/p99.9 produce latency and
/// our/mock ratios.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var records = IntOption(args, "--records", 200_000);
        var size = IntOption(args, "--size", 1024);
        var workloads = new List<Workload>();
        foreach (var partitions in new[] { 1, 6 })
        {
            foreach (var acks in new[] { "1", "all" })
            {
                workloads.Add(new Workload(records, size, partitions, acks));
            }
        }

        RealClients.EnsureLoaded();
        Console.WriteLine($"Tributary bench: {records:N0} records of {size} bytes per workload, Confluent.Kafka over librdkafka {Library.VersionString}");
        Console.WriteLine("produce: all records, latency = enqueue to delivery report; consume: the last <=4 MiB of each partition read 5 times (the mock keeps only 5 MiB per partition)");
        var results = new List<Result>();

        await using (var broker = await BrokerProcess.StartAsync(new Dictionary<string, string> { ["num.partitions"] = "1" }))
        {
            Console.WriteLine($"tributary broker on {broker.BootstrapServers}, data in {broker.DataDir} (on disk)");
            using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();
            foreach (var workload in workloads)
            {
                var topic = TopicName(workload);
                await admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = workload.Partitions, ReplicationFactor = 1 }]);
                results.Add(Runner.Run("tributary", broker.BootstrapServers, topic, workload));
                Print(results[^1]);
            }
        }

        using (var mock = MockKafkaCluster.Start(1))
        {
            Console.WriteLine($"librdkafka mock cluster on {mock.BootstrapServers} (in memory)");
            foreach (var workload in workloads)
            {
                var topic = TopicName(workload);
                MockTopics.Create(mock.Producer, topic, workload.Partitions);
                results.Add(Runner.Run("mock", mock.BootstrapServers, topic, workload));
                Print(results[^1]);
            }
        }

        Console.WriteLine();
        Console.WriteLine("ratios tributary/mock (produce MB/s, consume MB/s, p99 latency):");
        foreach (var workload in workloads)
        {
            var ours = results.Single(r => r.Target == "tributary" && r.Workload == workload);
            var mock = results.Single(r => r.Target == "mock" && r.Workload == workload);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {workload.Name,-14} produce {ours.ProduceMBps / mock.ProduceMBps,5:F2}x  consume {ours.ConsumeMBps / mock.ConsumeMBps,5:F2}x  p99 {ours.P99Ms / mock.P99Ms,5:F2}x"));
        }

        return 0;
    }

    private static string TopicName(Workload workload) => $"bench-{workload.Partitions}p-acks{workload.Acks}-{Guid.NewGuid():N}"[..40];

    private static void Print(Result r) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  {r.Target,-9} {r.Workload.Name,-14} produce {r.ProduceMBps,8:F1} MB/s {r.ProduceRecordsPerSec,10:N0} rec/s  p50 {r.P50Ms,7:F2} ms  p99 {r.P99Ms,7:F2} ms  p99.9 {r.P999Ms,7:F2} ms | consume {r.ConsumeMBps,8:F1} MB/s {r.ConsumeRecordsPerSec,10:N0} rec/s"));

    private static int IntOption(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
