namespace Tributary.Broker.Network;

/// <summary>A dispatched request awaiting its turn to be answered, with the pooled frame it borrows.</summary>
internal readonly record struct PendingResponse(ValueTask<ResponseFrame?> Task, byte[] RequestBuffer, RequestContext Request);
