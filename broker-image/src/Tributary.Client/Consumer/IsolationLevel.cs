namespace Tributary.Client.Consumer;

/// <summary>Whether records of open or aborted transactions are returned.</summary>
public enum IsolationLevel : sbyte
{
    ReadUncommitted = 0,
    ReadCommitted = 1,
}
