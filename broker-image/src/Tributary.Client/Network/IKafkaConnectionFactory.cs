namespace Tributary.Client.Network;

/// <summary>Opens connections; the seam tests replace with an in-memory transport.</summary>
public interface IKafkaConnectionFactory
{
    /// <summary>Connects and negotiates API versions; raises <see cref="KafkaException"/> (NetworkException) on failure.</summary>
    Task<IKafkaConnection> ConnectAsync(BrokerEndpoint endpoint, CancellationToken cancellationToken);
}
