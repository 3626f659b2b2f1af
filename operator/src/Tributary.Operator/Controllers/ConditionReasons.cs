namespace Tributary.Operator.Controllers;

/// <summary>Reasons on the KafkaCluster conditions (and the matching event reasons).</summary>
public static class ConditionReasons
{
    public const string Ready = "Ready";
    public const string ReconcileSucceeded = "ReconcileSucceeded";
    public const string InvalidSpec = "InvalidSpec";
    public const string BrokersNotReady = "BrokersNotReady";
    public const string RollingRestart = "RollingRestart";
    public const string RollBlocked = "RollBlocked";
    public const string Healing = "Healing";
}
