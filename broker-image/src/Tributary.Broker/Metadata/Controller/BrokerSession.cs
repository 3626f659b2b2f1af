namespace Tributary.Broker.Metadata.Controller;

/// <summary>
/// What the active controller remembers about one broker between heartbeats: when it last heard from it
/// (monotonic milliseconds), the metadata offset it reported, and the offset of the records that began its
/// controlled shutdown (-1 when none).
/// </summary>
public readonly record struct BrokerSession(long LastContactMs, long MetadataOffset, long ControlledShutdownOffset);
