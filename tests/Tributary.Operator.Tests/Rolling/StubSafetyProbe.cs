using Tributary.Operator.Api;
using Tributary.Operator.Rolling;

namespace Tributary.Operator.Tests.Rolling;

/// <summary>Answers every restart question with one fixed decision (stands in for pod readiness) and counts the questions.</summary>
internal sealed class StubSafetyProbe(RollDecision decision) : IClusterSafetyProbe
{
    private int _asked;

    public int Asked => Volatile.Read(ref _asked);

    public Task<int?> GetActiveControllerAsync(KafkaCluster cluster, CancellationToken cancellationToken) => Task.FromResult<int?>(null);

    public Task<RollDecision> CanRestartAsync(KafkaCluster cluster, int nodeId, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _asked);
        return Task.FromResult(decision);
    }
}
