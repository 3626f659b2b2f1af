using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Tributary.TestSupport;

namespace Tributary.Server.Tests.Cluster;

/// <summary>Cluster inspection and set-up through Confluent.Kafka's admin client, as an operator would do it.</summary>
public static class ClusterAdmin
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    public static IAdminClient Admin(string bootstrap)
    {
        RealClients.EnsureLoaded();
        return new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap, SocketTimeoutMs = 10000 }).Build();
    }

    /// <summary>Creates a topic, retrying while the cluster is still electing or registering brokers.</summary>
    public static async Task CreateTopicAsync(string bootstrap, string topic, int partitions, short replicationFactor, IDictionary<string, string>? configs = null)
    {
        string? lastError = null;
        await Eventually(async () =>
        {
            // A fresh client per attempt: librdkafka 2.0.2's admin client keeps waiting for the
            // controller its first metadata named, even once that broker is dead and the metadata
            // every live broker returns names another one.
            using var admin = Admin(bootstrap);
            try
            {
                await admin.CreateTopicsAsync([new TopicSpecification
                {
                    Name = topic,
                    NumPartitions = partitions,
                    ReplicationFactor = replicationFactor,
                    Configs = configs is null ? null : new Dictionary<string, string>(configs),
                }], new CreateTopicsOptions { RequestTimeout = TimeSpan.FromSeconds(20) }).ConfigureAwait(false);
                return true;
            }
            catch (CreateTopicsException e) when (e.Results.All(r => r.Error.Code == ErrorCode.TopicAlreadyExists))
            {
                return true; // an earlier attempt went through but its answer was lost
            }
            catch (KafkaException e)
            {
                lastError = e is CreateTopicsException c ? string.Join("; ", c.Results.Select(r => $"{r.Topic}: {r.Error.Code} {r.Error.Reason}")) : e.Message;
                return false;
            }
        }, () => $"create topic {topic} (last error: {lastError})").ConfigureAwait(false);
    }

    public static PartitionMetadata Partition(string bootstrap, string topic, int partition)
    {
        using var admin = Admin(bootstrap);
        var metadata = admin.GetMetadata(topic, TimeSpan.FromSeconds(10));
        var t = metadata.Topics.Single(x => x.Topic == topic);
        return t.Partitions.Single(p => p.PartitionId == partition);
    }

    public static TopicMetadata Topic(string bootstrap, string topic)
    {
        using var admin = Admin(bootstrap);
        return admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single(x => x.Topic == topic);
    }

    /// <summary>Waits until the partition has a leader and its ISR holds every replica (or the given ids).</summary>
    public static async Task<PartitionMetadata> WaitForFullIsrAsync(string bootstrap, string topic, int partition, int? expectedSize = null)
    {
        PartitionMetadata? last = null;
        await Eventually(() =>
        {
            try
            {
                last = Partition(bootstrap, topic, partition);
                return Task.FromResult(last.Leader >= 0 && last.InSyncReplicas.Length == (expectedSize ?? last.Replicas.Length));
            }
            catch (KafkaException)
            {
                return Task.FromResult(false);
            }
        }, () => $"full ISR of {topic}-{partition} (last: leader {last?.Leader}, replicas [{string.Join(',', last?.Replicas ?? [])}], isr [{string.Join(',', last?.InSyncReplicas ?? [])}])").ConfigureAwait(false);
        return last!;
    }

    public static Task Eventually(Func<Task<bool>> condition, string what, TimeSpan? patience = null, TimeSpan? interval = null) =>
        Eventually(condition, () => what, patience, interval);

    /// <summary>Polls <paramref name="condition"/> until true; the timeout message is built when it is thrown.</summary>
    public static async Task Eventually(Func<Task<bool>> condition, Func<string> what, TimeSpan? patience = null, TimeSpan? interval = null)
    {
        var deadline = DateTime.UtcNow + (patience ?? Patience);
        while (!await condition().ConfigureAwait(false))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"gave up waiting for: {what()}");
            }

            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(250)).ConfigureAwait(false);
        }
    }

    /// <summary>Every record of one partition from the beginning to its end, read with a plain Confluent consumer.</summary>
    public static List<ConsumeResult<string, string>> ReadAll(string bootstrap, string topic, int partition)
    {
        var config = RealClients.ConsumerConfig(bootstrap, "verify-" + Guid.NewGuid().ToString("N"));
        config.EnablePartitionEof = true;
        config.IsolationLevel = IsolationLevel.ReadCommitted;
        var records = new List<ConsumeResult<string, string>>();
        using var consumer = new ConsumerBuilder<string, string>(config).Build();
        consumer.Assign(new TopicPartitionOffset(topic, partition, Offset.Beginning));
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (DateTime.UtcNow < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(500));
            if (result is null)
            {
                continue;
            }

            if (result.IsPartitionEOF)
            {
                return records;
            }

            records.Add(result);
        }

        throw new TimeoutException($"reading {topic}-{partition} did not reach its end; got {records.Count} records");
    }

    /// <summary>The value of an unlabelled Prometheus counter or gauge in /metrics text.</summary>
    public static double MetricValue(string metrics, string name)
    {
        foreach (var line in metrics.Split('\n'))
        {
            if (line.StartsWith(name + " ", StringComparison.Ordinal))
            {
                return double.Parse(line[(name.Length + 1)..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }
}
