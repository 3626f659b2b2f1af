using Tributary.Client;
using Tributary.Client.Admin;
using Tributary.Protocol.Primitives;
using Tributary.Protocol;

namespace Tributary.Operator.Controllers.Topics;

/// <summary>
/// <see cref="ITopicAdmin"/> over Tributary.Client's admin client: Metadata + DescribeConfigs to describe,
/// CreateTopics, CreatePartitions, IncrementalAlterConfigs and DeleteTopics to change. Per-topic error
/// codes and whole-request failures both become <see cref="TopicAdminException"/>.
/// </summary>
public sealed class KafkaTopicAdmin : ITopicAdmin
{
    private readonly IKafkaAdminClient _client;

    public KafkaTopicAdmin(IKafkaAdminClient client) => _client = client ?? throw new ArgumentNullException(nameof(client));

    public async Task<TopicDescription?> DescribeTopicAsync(string name, CancellationToken cancellationToken = default)
    {
        var topics = await Call("Metadata", () => _client.DescribeTopicsAsync([name], cancellationToken)).ConfigureAwait(false);
        if (!topics.TryGetValue(name, out var topic) || topic.Error == ErrorCode.UnknownTopicOrPartition)
        {
            return null;
        }
        // A topic just created may still report LEADER_NOT_AVAILABLE with its partitions listed: that is enough here.
        if (topic.Partitions.Count == 0)
        {
            throw new TopicAdminException(topic.Error == ErrorCode.None ? ErrorCode.LeaderNotAvailable : topic.Error,
                $"topic '{name}' has no partition metadata yet", "Metadata");
        }

        var described = await Call("DescribeConfigs", () => _client.DescribeConfigsAsync([ConfigResource.Topic(name)], cancellationToken)).ConfigureAwait(false);
        var config = described.Single();
        if (config.Result.Error == ErrorCode.UnknownTopicOrPartition)
        {
            return null;
        }
        if (!config.Result.IsSuccess)
        {
            throw new TopicAdminException(config.Result.Error, config.Result.ErrorMessage, "DescribeConfigs");
        }
        var overrides = config.Entries
            .Where(e => e.Source == ConfigSource.DynamicTopicConfig)
            .ToDictionary(e => e.Name, e => e.Value ?? "", StringComparer.Ordinal);
        return new TopicDescription(name, FormatTopicId(topic.TopicId), topic.Partitions.Count, topic.Partitions[0].Replicas.Count, overrides);
    }

    public async Task<string?> CreateTopicAsync(string name, int partitions, short replicationFactor, IReadOnlyDictionary<string, string> configs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(configs);
        var request = new NewTopic(name, partitions, replicationFactor)
        {
            Configs = configs.ToDictionary(kv => kv.Key, kv => (string?)kv.Value, StringComparer.Ordinal),
        };
        var results = await Call("CreateTopics", () => _client.CreateTopicsAsync([request], false, cancellationToken)).ConfigureAwait(false);
        var result = results[name];
        if (!result.IsSuccess)
        {
            throw new TopicAdminException(result.Error, result.ErrorMessage, "CreateTopics");
        }
        return FormatTopicId(result.TopicId);
    }

    public async Task CreatePartitionsAsync(string name, int totalCount, CancellationToken cancellationToken = default)
    {
        var results = await Call("CreatePartitions", () => _client.CreatePartitionsAsync(new Dictionary<string, int> { [name] = totalCount }, false, cancellationToken)).ConfigureAwait(false);
        Check(results[name], "CreatePartitions");
    }

    public async Task AlterConfigsAsync(string name, IReadOnlyDictionary<string, string> set, IReadOnlyCollection<string> delete, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(delete);
        var changes = set.Select(kv => ConfigAlteration.Set(kv.Key, kv.Value))
            .Concat(delete.Select(ConfigAlteration.Delete))
            .ToList();
        var resource = ConfigResource.Topic(name);
        var results = await Call("IncrementalAlterConfigs", () => _client.IncrementalAlterConfigsAsync(
            new Dictionary<ConfigResource, IReadOnlyList<ConfigAlteration>> { [resource] = changes }, false, cancellationToken)).ConfigureAwait(false);
        Check(results[resource], "IncrementalAlterConfigs");
    }

    public async Task<bool> DeleteTopicAsync(string name, CancellationToken cancellationToken = default)
    {
        var results = await Call("DeleteTopics", () => _client.DeleteTopicsAsync([name], cancellationToken)).ConfigureAwait(false);
        var result = results[name];
        if (result.Error == ErrorCode.UnknownTopicOrPartition)
        {
            return false;
        }
        Check(result, "DeleteTopics");
        return true;
    }

    public ValueTask DisposeAsync() => _client.DisposeAsync();

    /// <summary>Kafka's text form of a topic id: URL-safe base64 of the 16 big-endian bytes, unpadded; null for the zero id.</summary>
    public static string? FormatTopicId(Guid id) =>
        id == Guid.Empty ? null : KafkaUuid.Format(id);

    private static void Check(AdminResult result, string operation)
    {
        if (!result.IsSuccess)
        {
            throw new TopicAdminException(result.Error, result.ErrorMessage, operation);
        }
    }

    // Whole-request failures (no broker reachable, unsupported API) come from the client as KafkaException.
    private static async Task<T> Call<T>(string operation, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (KafkaException e)
        {
            throw new TopicAdminException(e.ErrorCode, e.Message, operation, e);
        }
    }
}
