using Tributary.Protocol.Messages;

namespace Tributary.Broker.Cluster;

/// <summary>
/// How a broker talks to the active controller (Kafka's controller channel): BrokerRegistration,
/// BrokerHeartbeat, AlterPartition and forwarded admin requests. The implementation finds the
/// active controller among the quorum voters, picks the highest API version both sides support,
/// and retries on NOT_CONTROLLER and connection failures until <paramref name="timeout"/>.
/// </summary>
public interface IControllerChannel
{
    /// <summary>
    /// Sends <paramref name="request"/> to the active controller and returns its response. Throws
    /// <see cref="TimeoutException"/> when no controller answered in time.
    /// </summary>
    Task<IApiResponse> SendAsync(IApiRequest request, TimeSpan timeout, CancellationToken ct);
}
