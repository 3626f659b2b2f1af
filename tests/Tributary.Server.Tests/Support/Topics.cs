using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Tributary.TestSupport;

namespace Tributary.Server.Tests.Support;

/// <summary>Topic set-up through the Kafka admin API, as a user would do it.</summary>
public static class Topics
{
    public static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 60)];

    public static async Task CreateAsync(string bootstrap, string topic, int partitions, IDictionary<string, string>? configs = null)
    {
        RealClients.EnsureLoaded();
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();
        await admin.CreateTopicsAsync([new TopicSpecification
        {
            Name = topic,
            NumPartitions = partitions,
            ReplicationFactor = 1,
            Configs = configs is null ? null : new Dictionary<string, string>(configs),
        }]).ConfigureAwait(false);
    }
}
