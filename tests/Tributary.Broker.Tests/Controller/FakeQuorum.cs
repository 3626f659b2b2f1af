using Tributary.Broker.Metadata;

namespace Tributary.Broker.Tests.Controller;

/// <summary>An <see cref="IQuorumView"/> whose leadership the test flips.</summary>
internal sealed class FakeQuorum(int nodeId) : IQuorumView
{
    private bool _active;

    public int NodeId { get; } = nodeId;

    public int LeaderId => _active ? NodeId : -1;

    public int LeaderEpoch { get; private set; }

    public bool IsActiveController => _active;

    public event Action? LeadershipChanged;

    public void SetActive(bool active)
    {
        _active = active;
        LeaderEpoch++;
        LeadershipChanged?.Invoke();
    }
}
