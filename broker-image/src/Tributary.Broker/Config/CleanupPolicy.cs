namespace Tributary.Broker.Config;

/// <summary><c>log.cleanup.policy</c>: delete old segments, compact by key, or both.</summary>
[Flags]
public enum CleanupPolicy
{
    None = 0,
    Delete = 1,
    Compact = 2,
}
