using System.Buffers.Binary;
using System.Collections.Concurrent;
using Tributary.Broker.Network;

namespace Tributary.Broker.Tests.Network;

/// <summary>
/// A dispatcher driven by a delegate. The default answers every request with its correlation id
/// followed by the request body, so tests can check both order and payload integrity.
/// </summary>
internal sealed class FakeDispatcher : IRequestDispatcher
{
    private readonly Func<RequestContext, ReadOnlyMemory<byte>, CancellationToken, ValueTask<ResponseFrame?>> _handle;

    public FakeDispatcher(Func<RequestContext, ReadOnlyMemory<byte>, CancellationToken, ValueTask<ResponseFrame?>>? handle = null) =>
        _handle = handle ?? ((ctx, frame, _) => ValueTask.FromResult<ResponseFrame?>(Echo(ctx, frame)));

    public ConcurrentQueue<RequestContext> Seen { get; } = new();

    public static ResponseFrame Echo(RequestContext ctx, ReadOnlyMemory<byte> frame)
    {
        var body = frame.Span[8..];
        var response = ResponseFrame.Rent(4 + body.Length);
        BinaryPrimitives.WriteInt32BigEndian(response.Span, ctx.CorrelationId);
        body.CopyTo(response.Span[4..]);
        return response;
    }

    public ValueTask<ResponseFrame?> DispatchAsync(RequestContext ctx, ReadOnlyMemory<byte> frame, CancellationToken ct)
    {
        Seen.Enqueue(ctx);
        return _handle(ctx, frame, ct);
    }
}
