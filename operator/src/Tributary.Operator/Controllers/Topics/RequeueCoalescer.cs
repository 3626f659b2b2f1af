using System.Collections.Concurrent;
using Tributary.Operator.Hosting;

namespace Tributary.Operator.Controllers.Topics;

/// <summary>
/// Keeps at most one pending delayed requeue per key. <c>WorkQueue.AddAfter</c> starts a new timer on
/// every call, so if every event-driven reconcile also asked for a resync, each event would start one
/// more periodic chain per Topic for ever. A requeue later than one already pending is dropped (the
/// pending one comes first and schedules the next); a sooner one is kept.
/// Callers never handle the same key concurrently (the work queue guarantees it).
/// </summary>
public sealed class RequeueCoalescer
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _due = new(StringComparer.Ordinal);

    /// <summary>The result to hand to the workers: unchanged, or Done when an earlier requeue is already pending.</summary>
    public ReconcileResult Coalesce(string key, ReconcileResult result, DateTimeOffset now)
    {
        if (result.RequeueAfter is not { } delay)
        {
            return result;
        }
        var due = now + delay;
        if (_due.TryGetValue(key, out var pending) && pending > now && pending <= due)
        {
            return ReconcileResult.Done;
        }
        _due[key] = due;
        return result;
    }

    /// <summary>Drops what is known about a key (its object is gone).</summary>
    public void Forget(string key) => _due.TryRemove(key, out _);

    /// <summary>Keys with a requeue pending or recently fired.</summary>
    public int Count => _due.Count;
}
