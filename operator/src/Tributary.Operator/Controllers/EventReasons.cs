namespace Tributary.Operator.Controllers;

/// <summary>Reasons of the Events the KafkaCluster controller records.</summary>
public static class EventReasons
{
    public const string Created = "Created";
    public const string Deleted = "Deleted";
    public const string RollingRestart = "RollingRestart";
    public const string Healed = "Healed";
    public const string InvalidSpec = "InvalidSpec";
}
