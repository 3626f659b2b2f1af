namespace Tributary.Broker.Network;

/// <summary>Outcome of <see cref="FrameDecoder.TryRead"/>.</summary>
public enum FrameStatus
{
    Complete,
    NeedMoreData,
    TooLarge,
    Malformed,
}
