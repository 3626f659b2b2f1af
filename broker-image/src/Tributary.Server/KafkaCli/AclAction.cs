namespace Tributary.Server.KafkaCli;

/// <summary>What <c>kafka-acls</c> is asked to do (exactly one per run).</summary>
public enum AclAction
{
    Add,
    Remove,
    List,
}
