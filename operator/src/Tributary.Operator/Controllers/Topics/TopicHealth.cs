namespace Tributary.Operator.Controllers.Topics;

/// <summary>The kstatus state a reconcile leaves a Topic in.</summary>
public enum TopicHealth
{
    /// <summary>Ready=True: the Kafka topic matches the spec.</summary>
    Ready,

    /// <summary>Reconciling=True: the operator is still working (cluster not ready, Kafka unavailable, deletion pending).</summary>
    Reconciling,

    /// <summary>Stalled=True: no progress without a spec change (refused change, invalid spec, name conflict).</summary>
    Stalled,
}
