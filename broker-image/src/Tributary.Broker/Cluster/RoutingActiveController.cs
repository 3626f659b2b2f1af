using Tributary.Broker.Metadata;
using Tributary.Broker.Metadata.Controller;
using Tributary.Protocol;
using Tributary.Protocol.Messages;

namespace Tributary.Broker.Cluster;

/// <summary>
/// Client-facing controller APIs on a controller node: served locally while it is the active
/// controller, forwarded otherwise (also when leadership moved away mid-request, which the local
/// controller reports as NOT_CONTROLLER), so a client never has to find the active controller.
/// </summary>
public sealed class RoutingActiveController : IActiveController
{
    private const short NotController = (short)ErrorCode.NotController;

    private readonly IActiveController _local;
    private readonly IActiveController _remote;
    private readonly IQuorumView _quorum;

    public RoutingActiveController(IActiveController local, IActiveController remote, IQuorumView quorum)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(remote);
        ArgumentNullException.ThrowIfNull(quorum);
        _local = local;
        _remote = remote;
        _quorum = quorum;
    }

    public ValueTask<BrokerRegistrationResponse> RegisterBrokerAsync(BrokerRegistrationRequest request, CancellationToken ct) =>
        RouteAsync(c => c.RegisterBrokerAsync(request, ct), r => r.ErrorCode == NotController);

    public ValueTask<BrokerHeartbeatResponse> HeartbeatAsync(BrokerHeartbeatRequest request, CancellationToken ct) =>
        RouteAsync(c => c.HeartbeatAsync(request, ct), r => r.ErrorCode == NotController);

    public ValueTask<AlterPartitionResponse> AlterPartitionAsync(AlterPartitionRequest request, short version, CancellationToken ct) =>
        RouteAsync(c => c.AlterPartitionAsync(request, version, ct), r => r.ErrorCode == NotController);

    public ValueTask<ElectLeadersResponse> ElectLeadersAsync(ElectLeadersRequest request, short version, CancellationToken ct) =>
        RouteAsync(c => c.ElectLeadersAsync(request, version, ct), r => r.ErrorCode == NotController);

    public ValueTask<AlterPartitionReassignmentsResponse> AlterPartitionReassignmentsAsync(AlterPartitionReassignmentsRequest request, CancellationToken ct) =>
        RouteAsync(c => c.AlterPartitionReassignmentsAsync(request, ct), r => r.ErrorCode == NotController);

    public ValueTask<ListPartitionReassignmentsResponse> ListPartitionReassignmentsAsync(ListPartitionReassignmentsRequest request, CancellationToken ct) =>
        RouteAsync(c => c.ListPartitionReassignmentsAsync(request, ct), r => r.ErrorCode == NotController);

    private ValueTask<T> RouteAsync<T>(Func<IActiveController, ValueTask<T>> operation, Func<T, bool> notController) =>
        ActiveControllerRoute.RunAsync(_quorum, _local, _remote, operation, notController);
}
