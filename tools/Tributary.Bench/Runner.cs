using System.Diagnostics;
using Confluent.Kafka;
using Tributary.TestSupport;

namespace Tributary.Bench;

/// <summary>Produces a workload with Confluent.Kafka, timing each delivery, then consumes it back.</summary>
internal static class Runner
{
    public static Result Run(string target, string bootstrap, string topic, Workload workload)
    {
        var produce = Produce(bootstrap, topic, workload);
        var consume = Consume(bootstrap, topic, workload);
        return produce with { Target = target, ConsumeMBps = consume.MBps, ConsumeRecordsPerSec = consume.RecordsPerSec };
    }

    private static Result Produce(string bootstrap, string topic, Workload workload)
    {
        var config = RealClients.ProducerConfig(bootstrap);
        config.Acks = workload.Acks == "all" ? Acks.All : Acks.Leader;
        config.LingerMs = 5;
        config.BatchSize = 1_000_000;
        config.QueueBufferingMaxMessages = 1_000_000;
        config.QueueBufferingMaxKbytes = 1_048_576;
        config.MessageTimeoutMs = 120_000;
        config.EnableIdempotence = false;
        var value = new byte[workload.RecordBytes];
        new Random(42).NextBytes(value);
        var latencies = new long[workload.Records];
        var failures = 0;
        using var producer = new ProducerBuilder<Null, byte[]>(config).Build();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < workload.Records; i++)
        {
            var index = i;
            var sentAt = clock.ElapsedTicks;
            while (true)
            {
                try
                {
                    producer.Produce(topic, new Message<Null, byte[]> { Value = value }, report =>
                    {
                        latencies[index] = clock.ElapsedTicks - sentAt;
                        if (report.Error.IsError)
                        {
                            Interlocked.Increment(ref failures);
                        }
                    });
                    break;
                }
                catch (ProduceException<Null, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(5));
                }
            }
        }

        producer.Flush(TimeSpan.FromMinutes(5));
        var seconds = clock.Elapsed.TotalSeconds;
        if (failures > 0)
        {
            throw new InvalidOperationException($"{failures} deliveries failed against {bootstrap}");
        }

        Array.Sort(latencies);
        double Percentile(double p) => latencies[Math.Min(latencies.Length - 1, (int)(p * latencies.Length))] * 1000.0 / Stopwatch.Frequency;
        var bytes = (double)workload.Records * workload.RecordBytes;
        return new Result("", workload, bytes / seconds / 1e6, workload.Records / seconds, Percentile(0.50), Percentile(0.99), Percentile(0.999), 0, 0);
    }

    private static (double MBps, double RecordsPerSec) Consume(string bootstrap, string topic, Workload workload)
    {
        var config = RealClients.ConsumerConfig(bootstrap, "bench-" + Guid.NewGuid().ToString("N"));
        config.CheckCrcs = false;
        config.FetchMaxBytes = 52_428_800;
        config.MaxPartitionFetchBytes = 10_485_760;
        using var consumer = new ConsumerBuilder<Ignore, byte[]>(config).Build();
        consumer.Assign(Enumerable.Range(0, workload.Partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var clock = Stopwatch.StartNew();
        long count = 0;
        long bytes = 0;
        while (count < workload.Records)
        {
            if (clock.Elapsed > TimeSpan.FromMinutes(5))
            {
                throw new TimeoutException($"consumed only {count} of {workload.Records} from {bootstrap}");
            }

            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result?.Message is { } message)
            {
                count++;
                bytes += message.Value.Length;
            }
        }

        var seconds = clock.Elapsed.TotalSeconds;
        return (bytes / seconds / 1e6, count / seconds);
    }
}
