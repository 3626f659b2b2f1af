using Tributary.FakeKube;
using Tributary.Kube;
using Tributary.Operator.Api;
using Tributary.Operator.Rolling;

namespace Tributary.Operator.Tests.Controllers;

/// <summary>
/// Stands in for the Kafka admin checks: names an active controller, refuses a chosen number of
/// requests, and checks from the API server's own state that no other pod is down when a restart is
/// approved (the one-at-a-time rule).
/// </summary>
public sealed class FakeSafetyProbe(ObjectStore store, int? activeController, int refusals) : IClusterSafetyProbe
{
    private readonly Lock _lock = new();
    private readonly List<int> _approved = [];
    private readonly List<string> _violations = [];
    private int _refusalsLeft = refusals;
    private int _refused;

    public IReadOnlyList<int> Approved
    {
        get
        {
            lock (_lock)
            {
                return [.. _approved];
            }
        }
    }

    public IReadOnlyList<string> Violations
    {
        get
        {
            lock (_lock)
            {
                return [.. _violations];
            }
        }
    }

    public int Refused
    {
        get
        {
            lock (_lock)
            {
                return _refused;
            }
        }
    }

    public Task<int?> GetActiveControllerAsync(KafkaCluster cluster, CancellationToken cancellationToken) => Task.FromResult(activeController);

    public Task<RollDecision> CanRestartAsync(KafkaCluster cluster, int nodeId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_refusalsLeft > 0)
            {
                _refusalsLeft--;
                _refused++;
                return Task.FromResult(RollDecision.Refuse("partition orders-0 would have 1 in-sync replica, below min.insync.replicas=2"));
            }

            var pods = store.List(ResourceDescriptor.Pods, cluster.Metadata.Namespace, "app.kubernetes.io/instance=" + cluster.Metadata.Name);
            var down = pods.Where(p => p.IsDeleting() || !FakeWorkloadController.IsReady(p)).Select(p => p.Name()).ToList();
            if (down.Count > 0 || pods.Count != cluster.Spec.Brokers)
            {
                _violations.Add($"restart of {nodeId} approved while pods were down: {string.Join(",", down)} ({pods.Count} pods)");
            }

            _approved.Add(nodeId);
            return Task.FromResult(RollDecision.Allow());
        }
    }
}
