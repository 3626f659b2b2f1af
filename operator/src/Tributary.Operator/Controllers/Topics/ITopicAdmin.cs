namespace Tributary.Operator.Controllers.Topics;

/// <summary>
/// The port through which the topic controller changes Kafka: exactly the admin operations it needs.
/// Every Kafka-side failure is a <see cref="TopicAdminException"/> carrying the Kafka error code;
/// transport failures may also surface as IOException, SocketException or TimeoutException.
/// </summary>
public interface ITopicAdmin : IAsyncDisposable
{
    /// <summary>Partitions, replication factor and topic-level config overrides; null when the topic does not exist.</summary>
    Task<TopicDescription?> DescribeTopicAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Creates the topic with the given config overrides; returns its topic id when the cluster reports one.</summary>
    Task<string?> CreateTopicAsync(string name, int partitions, short replicationFactor, IReadOnlyDictionary<string, string> configs, CancellationToken cancellationToken = default);

    /// <summary>Grows the topic to <paramref name="totalCount"/> partitions.</summary>
    Task CreatePartitionsAsync(string name, int totalCount, CancellationToken cancellationToken = default);

    /// <summary>IncrementalAlterConfigs: SET each of <paramref name="set"/>, DELETE (revert to default) each of <paramref name="delete"/>.</summary>
    Task AlterConfigsAsync(string name, IReadOnlyDictionary<string, string> set, IReadOnlyCollection<string> delete, CancellationToken cancellationToken = default);

    /// <summary>Deletes the topic; returns false when it did not exist.</summary>
    Task<bool> DeleteTopicAsync(string name, CancellationToken cancellationToken = default);
}
