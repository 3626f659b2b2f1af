namespace Tributary.Storage;

/// <summary>Kafka's <c>cleanup.policy</c>: delete, compact, or both (<c>compact,delete</c>).</summary>
[Flags]
public enum CleanupPolicy
{
    None = 0,
    Delete = 1,
    Compact = 2,
}
