using Tributary.Broker.Network;

namespace Tributary.Broker.Requests;

/// <summary>
/// Holds requests on the client and inter-broker listeners until the node is ready, as a KRaft
/// broker enables request processing on its data plane only once it caught up with the metadata
/// log. A restarted broker would otherwise answer Metadata from an image that does not know the
/// cluster's topics yet. Requests on the controller listeners (Raft, registration, heartbeats)
/// pass at once: readiness depends on them.
/// </summary>
public sealed class ReadinessGatedDispatcher : IRequestDispatcher
{
    private readonly IRequestDispatcher _inner;
    private readonly Task _ready;
    private readonly HashSet<string> _ungated;

    public ReadinessGatedDispatcher(IRequestDispatcher inner, Task ready, IEnumerable<string> ungatedListeners)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(ready);
        ArgumentNullException.ThrowIfNull(ungatedListeners);
        _inner = inner;
        _ready = ready;
        _ungated = new HashSet<string>(ungatedListeners, StringComparer.Ordinal);
    }

    public ValueTask<ResponseFrame?> DispatchAsync(RequestContext ctx, ReadOnlyMemory<byte> frame, CancellationToken ct)
    {
        if (_ready.IsCompletedSuccessfully || _ungated.Contains(ctx.ListenerName))
        {
            return _inner.DispatchAsync(ctx, frame, ct);
        }

        return DispatchWhenReadyAsync(ctx, frame, ct);
    }

    private async ValueTask<ResponseFrame?> DispatchWhenReadyAsync(RequestContext ctx, ReadOnlyMemory<byte> frame, CancellationToken ct)
    {
        await _ready.WaitAsync(ct).ConfigureAwait(false);
        return await _inner.DispatchAsync(ctx, frame, ct).ConfigureAwait(false);
    }
}
