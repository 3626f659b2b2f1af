namespace Tributary.Operator.Controllers.Topics;

/// <summary>Opens an <see cref="ITopicAdmin"/> to a cluster; the caller disposes it.</summary>
public interface ITopicAdminFactory
{
    /// <param name="bootstrapServers">Comma-separated host:port list (KafkaCluster status.bootstrapServers).</param>
    ITopicAdmin Create(string bootstrapServers);
}
