using Tributary.Client;
using Tributary.Client.Admin;

namespace Tributary.Operator.Controllers.Topics;

/// <summary>Opens a <see cref="KafkaTopicAdmin"/> (its own connections) per reconcile.</summary>
public sealed class KafkaTopicAdminFactory : ITopicAdminFactory
{
    private readonly Action<ClientOptions>? _configure;

    /// <param name="configure">Adjusts the client settings (timeouts, retries) after the operator's defaults.</param>
    public KafkaTopicAdminFactory(Action<ClientOptions>? configure = null) => _configure = configure;

    public ITopicAdmin Create(string bootstrapServers)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(bootstrapServers);
        // Short budgets: a reconcile that cannot reach Kafka should report it and back off, not hold a worker.
        var options = new ClientOptions
        {
            BootstrapServers = bootstrapServers,
            ClientId = "tributary-operator",
            ConnectTimeout = TimeSpan.FromSeconds(5),
            RequestTimeout = TimeSpan.FromSeconds(30),
            Retries = 5,
        };
        _configure?.Invoke(options);
        return new KafkaTopicAdmin(new KafkaAdminClient(options));
    }
}
