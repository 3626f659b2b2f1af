using Tributary.Protocol;
using Tributary.Protocol.Messages;

namespace Tributary.Broker.Metadata.Controller;

/// <summary>
/// What a heartbeat changes: the broker's state before and after, the records that make the change
/// (none when it stays), and the answer's IsCaughtUp (its metadata offset reached its registration).
/// </summary>
public sealed record BrokerHeartbeatPlan(ErrorCode Error, BrokerState Current, BrokerState Next, IReadOnlyList<IMetadataRecord> Records, bool IsCaughtUp)
{
    public bool IsFenced => Next is BrokerState.Fenced or BrokerState.ShutdownNow;

    public bool ShouldShutDown => Next == BrokerState.ShutdownNow;
}
