namespace Tributary.Client.Admin;

/// <summary>Which offset ListOffsets looks up: earliest, latest, max timestamp, or the first at or after a timestamp.</summary>
public readonly record struct OffsetSpec(long Timestamp)
{
    public static OffsetSpec Earliest => new(-2);

    public static OffsetSpec Latest => new(-1);

    public static OffsetSpec MaxTimestamp => new(-3);

    public static OffsetSpec ForTimestamp(long unixMilliseconds) => new(unixMilliseconds);
}
