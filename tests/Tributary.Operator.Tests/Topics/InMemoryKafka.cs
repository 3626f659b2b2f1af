using System.Globalization;
using Tributary.Operator.Controllers.Topics;
using Tributary.Protocol;

namespace Tributary.Operator.Tests.Topics;

/// <summary>
/// A Kafka cluster in memory behind the <see cref="ITopicAdmin"/> port, with Kafka's answers for the
/// cases the controller must handle: unknown/invalid configs (INVALID_CONFIG), shrinking partitions
/// (INVALID_PARTITIONS), too few brokers (INVALID_REPLICATION_FACTOR), existing topics (TOPIC_ALREADY_EXISTS).
/// Only admins created for <see cref="BootstrapServers"/> reach it; others fail like an unreachable host.
/// </summary>
public sealed class InMemoryKafka : ITopicAdminFactory
{
    private static readonly HashSet<string> KnownConfigs = new(StringComparer.Ordinal)
    {
        "cleanup.policy", "compression.type", "max.message.bytes", "min.insync.replicas",
        "retention.bytes", "retention.ms", "segment.bytes", "segment.ms",
    };

    private static readonly HashSet<string> LongConfigs = new(StringComparer.Ordinal)
    {
        "max.message.bytes", "min.insync.replicas", "retention.bytes", "retention.ms", "segment.bytes", "segment.ms",
    };

    private readonly Lock _lock = new();
    private readonly Dictionary<string, InMemoryTopic> _topics = new(StringComparer.Ordinal);
    private readonly List<string> _operations = [];

    public InMemoryKafka(string bootstrapServers = "kafka-bootstrap.test.svc:9092", int brokers = 3)
    {
        BootstrapServers = bootstrapServers;
        Brokers = brokers;
    }

    public string BootstrapServers { get; }

    public int Brokers { get; }

    /// <summary>When set, every admin call fails with this error (simulates an unavailable cluster).</summary>
    public ErrorCode? FailAllWith { get; set; }

    /// <summary>When set, DeleteTopics fails with this error (e.g. TopicDeletionDisabled, as with delete.topic.enable=false).</summary>
    public ErrorCode? FailDeletesWith { get; set; }

    /// <summary>Mutating calls in order, e.g. "create orders", "alter orders", "delete orders".</summary>
    public IReadOnlyList<string> Operations
    {
        get
        {
            lock (_lock)
            {
                return _operations.ToList();
            }
        }
    }

    public ITopicAdmin Create(string bootstrapServers) => new InMemoryTopicAdmin(this, bootstrapServers == BootstrapServers);

    /// <summary>Snapshot of a topic, or null.</summary>
    public TopicDescription? Get(string name)
    {
        lock (_lock)
        {
            return _topics.TryGetValue(name, out var t) ? Snapshot(t) : null;
        }
    }

    /// <summary>Changes a config directly, as someone running kafka-configs.sh would.</summary>
    public void SetConfigOutOfBand(string topic, string key, string? value)
    {
        lock (_lock)
        {
            var t = _topics[topic];
            if (value is null)
            {
                t.Configs.Remove(key);
            }
            else
            {
                t.Configs[key] = value;
            }
        }
    }

    /// <summary>Creates a topic directly (not through the controller).</summary>
    public void CreateOutOfBand(string name, int partitions, int replicationFactor)
    {
        lock (_lock)
        {
            _topics[name] = new InMemoryTopic { Name = name, TopicId = NewTopicId(), Partitions = partitions, ReplicationFactor = replicationFactor };
        }
    }

    internal TopicDescription? Describe(string name)
    {
        lock (_lock)
        {
            ThrowIfFailing();
            return _topics.TryGetValue(name, out var t) ? Snapshot(t) : null;
        }
    }

    internal string CreateTopic(string name, int partitions, short replicationFactor, IReadOnlyDictionary<string, string> configs)
    {
        lock (_lock)
        {
            ThrowIfFailing();
            if (_topics.ContainsKey(name))
            {
                throw new TopicAdminException(ErrorCode.TopicAlreadyExists, $"Topic '{name}' already exists.", "CreateTopics");
            }
            if (partitions < 1)
            {
                throw new TopicAdminException(ErrorCode.InvalidPartitions, "Number of partitions must be larger than 0.", "CreateTopics");
            }
            if (replicationFactor > Brokers)
            {
                throw new TopicAdminException(ErrorCode.InvalidReplicationFactor,
                    $"Replication factor: {replicationFactor} larger than available brokers: {Brokers}.", "CreateTopics");
            }
            foreach (var (key, value) in configs)
            {
                CheckConfig(key, value, "CreateTopics");
            }
            var topic = new InMemoryTopic { Name = name, TopicId = NewTopicId(), Partitions = partitions, ReplicationFactor = replicationFactor };
            foreach (var (key, value) in configs)
            {
                topic.Configs[key] = value;
            }
            _topics[name] = topic;
            _operations.Add("create " + name);
            return topic.TopicId;
        }
    }

    internal void CreatePartitions(string name, int total)
    {
        lock (_lock)
        {
            ThrowIfFailing();
            var t = _topics.TryGetValue(name, out var found) ? found
                : throw new TopicAdminException(ErrorCode.UnknownTopicOrPartition, "This server does not host this topic-partition.", "CreatePartitions");
            if (total <= t.Partitions)
            {
                throw new TopicAdminException(ErrorCode.InvalidPartitions,
                    $"Topic currently has {t.Partitions} partitions, which is higher than the requested {total}.", "CreatePartitions");
            }
            t.Partitions = total;
            _operations.Add("partitions " + name + " " + total.ToString(CultureInfo.InvariantCulture));
        }
    }

    internal void AlterConfigs(string name, IReadOnlyDictionary<string, string> set, IReadOnlyCollection<string> delete)
    {
        lock (_lock)
        {
            ThrowIfFailing();
            var t = _topics.TryGetValue(name, out var found) ? found
                : throw new TopicAdminException(ErrorCode.UnknownTopicOrPartition, "This server does not host this topic-partition.", "IncrementalAlterConfigs");
            foreach (var (key, value) in set)
            {
                CheckConfig(key, value, "IncrementalAlterConfigs");
            }
            foreach (var (key, value) in set)
            {
                t.Configs[key] = value;
            }
            foreach (var key in delete)
            {
                t.Configs.Remove(key);
            }
            _operations.Add("alter " + name);
        }
    }

    internal bool DeleteTopic(string name)
    {
        lock (_lock)
        {
            ThrowIfFailing();
            if (FailDeletesWith is { } code)
            {
                throw new TopicAdminException(code, "Topic deletion is disabled.", "DeleteTopics");
            }
            if (!_topics.Remove(name))
            {
                return false;
            }
            _operations.Add("delete " + name);
            return true;
        }
    }

    private void ThrowIfFailing()
    {
        if (FailAllWith is { } code)
        {
            throw new TopicAdminException(code, null, "Metadata");
        }
    }

    private static void CheckConfig(string key, string value, string operation)
    {
        if (!KnownConfigs.Contains(key))
        {
            throw new TopicAdminException(ErrorCode.InvalidConfig, $"Unknown topic config name: {key}", operation);
        }
        if (LongConfigs.Contains(key) && !long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
        {
            throw new TopicAdminException(ErrorCode.InvalidConfig, $"Invalid value {value} for configuration {key}: Not a number of type LONG", operation);
        }
    }

    private static TopicDescription Snapshot(InMemoryTopic t) =>
        new(t.Name, t.TopicId, t.Partitions, t.ReplicationFactor, new Dictionary<string, string>(t.Configs, StringComparer.Ordinal));

    private static string NewTopicId() => Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
