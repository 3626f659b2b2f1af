namespace Tributary.Client.Network;

/// <summary>Opens real TCP connections.</summary>
public sealed class KafkaConnectionFactory(ClientOptions options) : IKafkaConnectionFactory
{
    public async Task<IKafkaConnection> ConnectAsync(BrokerEndpoint endpoint, CancellationToken cancellationToken) =>
        await KafkaConnection.ConnectAsync(endpoint, options, cancellationToken).ConfigureAwait(false);
}
