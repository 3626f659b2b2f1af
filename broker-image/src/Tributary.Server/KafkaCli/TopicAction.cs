namespace Tributary.Server.KafkaCli;

/// <summary>What <c>kafka-topics</c> is asked to do (exactly one per run).</summary>
public enum TopicAction
{
    Create,
    Delete,
    List,
    Describe,
    Alter,
}
