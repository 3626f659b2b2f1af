using Tributary.Broker.Metadata;
using Tributary.Broker.Metadata.Controller;
using Tributary.Broker.Producers;
using Tributary.Protocol;
using Tributary.Protocol.Messages;

namespace Tributary.Broker.Cluster;

/// <summary>
/// The <see cref="IClusterController"/> the admin handlers of a cluster node use: the local
/// (quorum-backed) controller while this node is the active controller, the forwarding one
/// otherwise. Leadership can move during an operation: when the local controller answers
/// NOT_CONTROLLER (or throws <see cref="NotControllerException"/>) its commit did not happen, and
/// the whole operation is forwarded to the new active controller, which validates it afresh.
/// </summary>
public sealed class RoutingClusterController : IClusterController
{
    private const short NotController = (short)ErrorCode.NotController;

    private readonly IClusterController _local;
    private readonly IClusterController _remote;
    private readonly IQuorumView _quorum;

    public RoutingClusterController(IClusterController local, IClusterController remote, IQuorumView quorum)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(remote);
        ArgumentNullException.ThrowIfNull(quorum);
        _local = local;
        _remote = remote;
        _quorum = quorum;
    }

    public ValueTask<CreateTopicsResponse> CreateTopicsAsync(CreateTopicsRequest request, CancellationToken ct) =>
        RouteAsync(c => c.CreateTopicsAsync(request, ct), r => r.Topics.Any(t => t.ErrorCode == NotController));

    public ValueTask<List<DeleteTopicsResponse.DeletableTopicResult>> DeleteTopicsAsync(IReadOnlyList<DeleteTopicsRequest.DeleteTopicState> topics, CancellationToken ct) =>
        RouteAsync(c => c.DeleteTopicsAsync(topics, ct), r => r.Any(t => t.ErrorCode == NotController));

    public ValueTask<CreatePartitionsResponse> CreatePartitionsAsync(CreatePartitionsRequest request, CancellationToken ct) =>
        RouteAsync(c => c.CreatePartitionsAsync(request, ct), r => r.Results.Any(t => t.ErrorCode == NotController));

    public ValueTask<List<ConfigChangeResult>> AlterConfigsAsync(AlterConfigsRequest request, CancellationToken ct) =>
        RouteAsync(c => c.AlterConfigsAsync(request, ct), r => r.Any(x => x.Error == ErrorCode.NotController));

    public ValueTask<List<ConfigChangeResult>> IncrementalAlterConfigsAsync(IncrementalAlterConfigsRequest request, CancellationToken ct) =>
        RouteAsync(c => c.IncrementalAlterConfigsAsync(request, ct), r => r.Any(x => x.Error == ErrorCode.NotController));

    public ValueTask<CreateAclsResponse> CreateAclsAsync(CreateAclsRequest request, CancellationToken ct) =>
        RouteAsync(c => c.CreateAclsAsync(request, ct), r => r.Results.Any(x => x.ErrorCode == NotController));

    public ValueTask<DeleteAclsResponse> DeleteAclsAsync(DeleteAclsRequest request, CancellationToken ct) =>
        RouteAsync(c => c.DeleteAclsAsync(request, ct), r => r.FilterResults.Any(x => x.ErrorCode == NotController));

    public ValueTask<(ErrorCode Error, ProducerIdBlock Block)> AllocateProducerIdsAsync(int brokerId, long brokerEpoch, CancellationToken ct) =>
        RouteAsync(c => c.AllocateProducerIdsAsync(brokerId, brokerEpoch, ct), r => r.Error == ErrorCode.NotController);

    public ValueTask<ErrorCode> EnsureInternalTopicAsync(string name, int partitions, short replicationFactor, IReadOnlyDictionary<string, string> configs, CancellationToken ct) =>
        RouteAsync(c => c.EnsureInternalTopicAsync(name, partitions, replicationFactor, configs, ct), r => r == ErrorCode.NotController);

    private ValueTask<T> RouteAsync<T>(Func<IClusterController, ValueTask<T>> operation, Func<T, bool> notController) =>
        ActiveControllerRoute.RunAsync(_quorum, _local, _remote, operation, notController);
}
