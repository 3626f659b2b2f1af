namespace Tributary.Client.Consumer;

/// <summary>Where to start when a partition has no committed offset or its position is out of range.</summary>
public enum AutoOffsetReset
{
    Earliest,
    Latest,

    /// <summary>Fail with <see cref="Protocol.ErrorCode.OffsetOutOfRange"/> instead of guessing.</summary>
    None,
}
