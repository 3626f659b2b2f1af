namespace Tributary.Broker.Network;

/// <summary>A request frame read from the socket, in a pooled buffer it owns, waiting for its handler to start.</summary>
internal readonly record struct ReceivedFrame(byte[] Buffer, int Length, RequestContext Request);
