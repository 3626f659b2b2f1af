using Tributary.Broker.Metadata.Controller;
using Tributary.Protocol.Messages;

namespace Tributary.Broker.Cluster;

/// <summary>
/// The controller APIs clients may send to any broker (ElectLeaders, AlterPartitionReassignments,
/// ListPartitionReassignments) as a node without the active controller serves them: the request is
/// passed whole to the active controller over the controller channel, as a KRaft broker forwards
/// it. A controller that cannot be reached in time is an exception the handler turns into an error
/// response; NOT_CONTROLLER answers are retried by the channel.
/// </summary>
public sealed class ForwardingActiveController : IActiveController
{
    private readonly IControllerChannel _channel;
    private readonly TimeSpan _timeout;

    public ForwardingActiveController(IControllerChannel channel, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(channel);
        _channel = channel;
        _timeout = timeout ?? TimeSpan.FromSeconds(25);
    }

    public ValueTask<BrokerRegistrationResponse> RegisterBrokerAsync(BrokerRegistrationRequest request, CancellationToken ct) =>
        SendAsync<BrokerRegistrationResponse>(request, ct);

    public ValueTask<BrokerHeartbeatResponse> HeartbeatAsync(BrokerHeartbeatRequest request, CancellationToken ct) =>
        SendAsync<BrokerHeartbeatResponse>(request, ct);

    public ValueTask<AlterPartitionResponse> AlterPartitionAsync(AlterPartitionRequest request, short version, CancellationToken ct) =>
        SendAsync<AlterPartitionResponse>(request, ct);

    public ValueTask<ElectLeadersResponse> ElectLeadersAsync(ElectLeadersRequest request, short version, CancellationToken ct) =>
        SendAsync<ElectLeadersResponse>(request, ct);

    public ValueTask<AlterPartitionReassignmentsResponse> AlterPartitionReassignmentsAsync(AlterPartitionReassignmentsRequest request, CancellationToken ct) =>
        SendAsync<AlterPartitionReassignmentsResponse>(request, ct);

    public ValueTask<ListPartitionReassignmentsResponse> ListPartitionReassignmentsAsync(ListPartitionReassignmentsRequest request, CancellationToken ct) =>
        SendAsync<ListPartitionReassignmentsResponse>(request, ct);

    private async ValueTask<T> SendAsync<T>(IApiRequest request, CancellationToken ct)
        where T : class, IApiResponse
    {
        var response = await _channel.SendAsync(request, _timeout, ct).ConfigureAwait(false);
        return response as T ?? throw new InvalidOperationException($"the controller answered {request.GetType().Name} with {response.GetType().Name}");
    }
}
