using Tributary.Protocol;
using Tributary.Protocol.Messages;

namespace Tributary.Broker.Metadata.Controller;

/// <summary>
/// BrokerHeartbeat (API 63) as a pure state machine over the image (Kafka's BrokerHeartbeatManager
/// transitions with ReplicationControlManager's records):
/// <list type="bullet">
/// <item>Fenced -> Unfenced once the broker's metadata offset reached its registration record and it
/// does not want to be fenced; its offline partitions elect it back. Fenced + WantShutDown -> ShutdownNow.</item>
/// <item>Unfenced + WantFence -> Fenced (ISR places and leaderships move away). Unfenced + WantShutDown ->
/// ControlledShutdown when it leads something (InControlledShutdown, it leaves the ISRs and its
/// leaderships move), else ShutdownNow.</item>
/// <item>ControlledShutdown -> ShutdownNow (fenced) once it leads nothing and every active broker has
/// seen the records that began the shutdown, so the new leaders know they lead.</item>
/// </list>
/// </summary>
public static class BrokerHeartbeats
{
    /// <param name="image">The current image.</param>
    /// <param name="request">The heartbeat.</param>
    /// <param name="controlledShutdownOffset">The offset at which this broker's controlled shutdown began, -1 if unknown.</param>
    /// <param name="lowestActiveOffset">The lowest metadata offset reported by the other active brokers (long.MaxValue when none).</param>
    /// <param name="uncleanEnabled">Whether a topic allows unclean leader election.</param>
    public static BrokerHeartbeatPlan Plan(MetadataImage image, BrokerHeartbeatRequest request, long controlledShutdownOffset, long lowestActiveOffset,
        Func<string, bool> uncleanEnabled)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(uncleanEnabled);
        if (!image.Brokers.TryGetValue(request.BrokerId, out var broker) || broker.Epoch != request.BrokerEpoch)
        {
            return new BrokerHeartbeatPlan(ErrorCode.StaleBrokerEpoch, BrokerState.Fenced, BrokerState.Fenced, [], false);
        }

        var current = StateOf(broker);
        var caughtUp = request.CurrentMetadataOffset >= broker.RegistrationOffset;
        var next = Next(image, broker, request, current, caughtUp, controlledShutdownOffset, lowestActiveOffset);
        var records = new List<IMetadataRecord>();
        if (next != current)
        {
            var mv = BrokerRecords.MetadataVersion(image);
            switch (next)
            {
                case BrokerState.Fenced:
                    records.Add(BrokerRecords.Fenced(mv, broker));
                    BrokerPartitionChanges.RemoveFromIsrs(image, broker.Id, uncleanEnabled, records);
                    break;
                case BrokerState.Unfenced:
                    records.Add(BrokerRecords.Unfenced(mv, broker));
                    BrokerPartitionChanges.ElectOfflineLeaders(image, broker.Id, uncleanEnabled, records);
                    break;
                case BrokerState.ControlledShutdown:
                    if (BrokerRecords.InControlledShutdown(mv, broker) is { } shutdown)
                    {
                        records.Add(shutdown);
                    }

                    BrokerPartitionChanges.RemoveFromIsrs(image, broker.Id, uncleanEnabled, records);
                    break;
                case BrokerState.ShutdownNow when !broker.Fenced:
                    records.Add(BrokerRecords.Fenced(mv, broker));
                    BrokerPartitionChanges.RemoveFromIsrs(image, broker.Id, uncleanEnabled, records);
                    break;
                default:
                    break;
            }
        }

        return new BrokerHeartbeatPlan(ErrorCode.None, current, next, records, caughtUp);
    }

    /// <summary>The state the image records for a broker (ShutdownNow is never stored: it is fenced).</summary>
    public static BrokerState StateOf(BrokerImage broker)
    {
        ArgumentNullException.ThrowIfNull(broker);
        return broker.Fenced ? BrokerState.Fenced : broker.InControlledShutdown ? BrokerState.ControlledShutdown : BrokerState.Unfenced;
    }

    private static BrokerState Next(MetadataImage image, BrokerImage broker, BrokerHeartbeatRequest request, BrokerState current, bool caughtUp,
        long controlledShutdownOffset, long lowestActiveOffset)
    {
        switch (current)
        {
            case BrokerState.Fenced:
                if (request.WantShutDown)
                {
                    return BrokerState.ShutdownNow;
                }

                return !request.WantFence && caughtUp ? BrokerState.Unfenced : BrokerState.Fenced;
            case BrokerState.Unfenced:
                if (request.WantFence)
                {
                    return BrokerState.Fenced;
                }

                if (!request.WantShutDown)
                {
                    return BrokerState.Unfenced;
                }

                return BrokerPartitionChanges.HasLeaderships(image, broker.Id) ? BrokerState.ControlledShutdown : BrokerState.ShutdownNow;
            default:
                if (request.WantFence)
                {
                    return BrokerState.Fenced;
                }

                var othersCaughtUp = controlledShutdownOffset >= 0 && controlledShutdownOffset <= lowestActiveOffset;
                return !BrokerPartitionChanges.HasLeaderships(image, broker.Id) && othersCaughtUp
                    ? BrokerState.ShutdownNow
                    : BrokerState.ControlledShutdown;
        }
    }
}
