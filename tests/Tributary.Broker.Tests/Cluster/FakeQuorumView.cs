using Tributary.Broker.Metadata;

namespace Tributary.Broker.Tests.Cluster;

/// <summary>A quorum view whose leader the test sets.</summary>
internal sealed class FakeQuorumView : IQuorumView
{
    public int NodeId { get; init; } = 1;

    public int LeaderId { get; set; } = -1;

    public int LeaderEpoch { get; set; }

    public bool IsActiveController { get; set; }

    public event Action? LeadershipChanged;

    public void Raise() => LeadershipChanged?.Invoke();
}
