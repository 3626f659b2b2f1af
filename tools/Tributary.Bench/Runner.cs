using System.Diagnostics;
using Confluent.Kafka;
using Tributary.TestSupport;

namespace Tributary.Bench;

/// <summary>Produces a workload with Confluent.Kafka, timing each delivery, then consumes it back.</summary>
internal static class Runner
{
    /// <summary>
    /// How many records librdkafka may hold unacknowledged. Bounded so that a target slower than
    /// the client shows up as lower throughput, not as a queue of a million records whose wait
    /// swamps the latency percentiles (with the bound, p50 is at most about this many records'
    /// worth of throughput).
    /// </summary>
    public const int ProducerQueueRecords = 20_000;

    /// <param name="brokerCpu">The broker process's CPU time so far, or null when the broker runs inside this process.</param>
    public static Result Run(string target, string bootstrap, string topic, Workload workload, Func<TimeSpan>? brokerCpu)
    {
        var produce = Produce(bootstrap, topic, workload, brokerCpu);
        var consume = Consume(bootstrap, topic, workload);
        return produce with { Target = target, ConsumeMBps = consume.MBps, ConsumeRecordsPerSec = consume.RecordsPerSec };
    }

    private static Result Produce(string bootstrap, string topic, Workload workload, Func<TimeSpan>? brokerCpu)
    {
        var config = RealClients.ProducerConfig(bootstrap);
        config.Acks = workload.Acks == "all" ? Acks.All : Acks.Leader;
        config.LingerMs = 5;
        config.BatchSize = 1_000_000;
        config.QueueBufferingMaxMessages = ProducerQueueRecords;
        // The record count is the bound; the byte limit only has to stay out of its way.
        config.QueueBufferingMaxKbytes = 2_097_151;
        config.MessageTimeoutMs = 120_000;
        config.EnableIdempotence = false;
        var value = new byte[workload.RecordBytes];
        new Random(42).NextBytes(value);
        var latencies = new long[workload.Records];
        var failures = 0;
        using var producer = new ProducerBuilder<Null, byte[]>(config).Build();

        // A new producer first connects and learns the topic's leaders (librdkafka retries that
        // on timers); one record per partition, delivered before the clock starts, keeps that
        // start-up out of the throughput and out of the first queued records' latency.
        for (var p = 0; p < workload.Partitions; p++)
        {
            producer.Produce(new TopicPartition(topic, p), new Message<Null, byte[]> { Value = value });
        }

        producer.Flush(TimeSpan.FromMinutes(1));
        using var self = Process.GetCurrentProcess();
        var clientCpuAtStart = self.TotalProcessorTime;
        var brokerCpuAtStart = brokerCpu?.Invoke() ?? TimeSpan.Zero;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < workload.Records; i++)
        {
            var index = i;
            long sentAt = 0;
            while (true)
            {
                try
                {
                    // Measured from a successful enqueue: waiting for room in the bounded queue is not latency of this record.
                    sentAt = clock.ElapsedTicks;
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
        self.Refresh();
        var clientCpu = (self.TotalProcessorTime - clientCpuAtStart).TotalSeconds;
        var brokerCpuSeconds = brokerCpu is null ? double.NaN : (brokerCpu() - brokerCpuAtStart).TotalSeconds;
        if (failures > 0)
        {
            throw new InvalidOperationException($"{failures} deliveries failed against {bootstrap}");
        }

        Array.Sort(latencies);
        double Percentile(double p) => latencies[Math.Min(latencies.Length - 1, (int)(p * latencies.Length))] * 1000.0 / Stopwatch.Frequency;
        var bytes = (double)workload.Records * workload.RecordBytes;
        var gigabytes = bytes / 1e9;
        return new Result("", workload, bytes / seconds / 1e6, workload.Records / seconds, Percentile(0.50), Percentile(0.99), Percentile(0.999), 0, 0)
        {
            ClientCpuPerGB = clientCpu / gigabytes,
            BrokerCpuPerGB = brokerCpuSeconds / gigabytes,
        };
    }

    /// <summary>
    /// librdkafka's mock cluster keeps only the last 5 MiB of each partition, so the consume phase
    /// reads the same tail on both targets: up to 4 MiB per partition, re-read
    /// <see cref="ConsumePasses"/> times by one consumer (seeking back between passes), after one
    /// unmeasured pass that connects and warms up. fetch.wait.max.ms is low on both targets:
    /// otherwise a fetch parked at the end of a partition holds up the seek of the next pass by
    /// up to the 500 ms default, and the figure measures that wait rather than reading.
    /// </summary>
    private const int TailBytesPerPartition = 4 << 20;

    private const int ConsumePasses = 5;

    private const int ConsumeFetchWaitMs = 5;

    private static (double MBps, double RecordsPerSec) Consume(string bootstrap, string topic, Workload workload)
    {
        var config = RealClients.ConsumerConfig(bootstrap, "bench-" + Guid.NewGuid().ToString("N"));
        config.CheckCrcs = false;
        config.FetchMaxBytes = 52_428_800;
        config.MaxPartitionFetchBytes = 10_485_760;
        config.EnablePartitionEof = true;
        config.FetchWaitMaxMs = ConsumeFetchWaitMs;
        using var consumer = new ConsumerBuilder<Ignore, byte[]>(config).Build();
        var tailRecords = Math.Max(1, TailBytesPerPartition / workload.RecordBytes);
        var starts = new List<TopicPartitionOffset>();
        long perPass = 0;
        for (var p = 0; p < workload.Partitions; p++)
        {
            var tp = new TopicPartition(topic, p);
            var marks = consumer.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(10));
            var from = Math.Max(marks.Low.Value, marks.High.Value - tailRecords);
            perPass += marks.High.Value - from;
            starts.Add(new TopicPartitionOffset(tp, from));
        }

        consumer.Assign(starts);
        var deadline = Stopwatch.StartNew();
        ReadPass(consumer, perPass, deadline, bootstrap);
        var clock = Stopwatch.StartNew();
        long count = 0;
        long bytes = 0;
        for (var pass = 0; pass < ConsumePasses; pass++)
        {
            foreach (var start in starts)
            {
                consumer.Seek(start);
            }

            var (read, readBytes) = ReadPass(consumer, perPass, deadline, bootstrap);
            count += read;
            bytes += readBytes;
        }

        var seconds = clock.Elapsed.TotalSeconds;
        return (bytes / seconds / 1e6, count / seconds);
    }

    private static (long Records, long Bytes) ReadPass(IConsumer<Ignore, byte[]> consumer, long perPass, Stopwatch deadline, string bootstrap)
    {
        long read = 0;
        long bytes = 0;
        while (read < perPass)
        {
            if (deadline.Elapsed > TimeSpan.FromMinutes(5))
            {
                throw new TimeoutException($"consumed only {read} of {perPass} from {bootstrap}");
            }

            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result?.Message is { } message && !result.IsPartitionEOF)
            {
                read++;
                bytes += message.Value.Length;
            }
        }

        return (read, bytes);
    }
}
