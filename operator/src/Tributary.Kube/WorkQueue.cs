namespace Tributary.Kube;

/// <summary>
/// A de-duplicating, rate-limited work queue in the style of client-go:
/// a key added twice while waiting is handed out once; a key added while being processed is
/// handed out again only after <see cref="Done"/>, so no key is ever processed concurrently.
/// </summary>
public sealed class WorkQueue<T> : IDisposable
    where T : notnull
{
    private readonly Lock _lock = new();
    private readonly Queue<T> _queue = new();
    private readonly HashSet<T> _dirty = [];
    private readonly HashSet<T> _processing = [];
    private readonly LinkedList<TaskCompletionSource> _waiters = new();
    private readonly HashSet<ITimer> _timers = [];
    private readonly IRateLimiter<T> _rateLimiter;
    private readonly TimeProvider _time;
    private bool _shuttingDown;

    public WorkQueue(IRateLimiter<T>? rateLimiter = null, TimeProvider? timeProvider = null)
    {
        _rateLimiter = rateLimiter ?? new ExponentialBackoffRateLimiter<T>();
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Items waiting to be handed out (the queue depth metric).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>Items handed out and not yet marked done.</summary>
    public int ProcessingCount
    {
        get
        {
            lock (_lock)
            {
                return _processing.Count;
            }
        }
    }

    /// <summary>Items scheduled by AddAfter/AddRateLimited whose delay has not elapsed.</summary>
    public int DelayedCount
    {
        get
        {
            lock (_lock)
            {
                return _timers.Count;
            }
        }
    }

    public bool IsShuttingDown
    {
        get
        {
            lock (_lock)
            {
                return _shuttingDown;
            }
        }
    }

    public void Add(T item)
    {
        TaskCompletionSource? wake = null;
        lock (_lock)
        {
            if (_shuttingDown || !_dirty.Add(item))
            {
                return;
            }
            if (_processing.Contains(item))
            {
                // Re-queued by Done once the current processing finishes.
                return;
            }
            _queue.Enqueue(item);
            wake = PopWaiter();
        }
        wake?.TrySetResult();
    }

    /// <summary>Adds the item once the delay has elapsed (immediately for non-positive delays).</summary>
    public void AddAfter(T item, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(item);
            return;
        }
        lock (_lock)
        {
            if (_shuttingDown)
            {
                return;
            }
            ITimer? timer = null;
            timer = _time.CreateTimer(_ =>
            {
                lock (_lock)
                {
                    // The timer may fire before CreateTimer returned; the field is set under the same lock.
                    _timers.Remove(timer!);
                }
                timer!.Dispose();
                Add(item);
            }, null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _timers.Add(timer);
            timer.Change(delay, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Adds the item after its backoff delay (one more failure).</summary>
    public void AddRateLimited(T item) => AddAfter(item, _rateLimiter.When(item));

    /// <summary>Resets the item's backoff after a success.</summary>
    public void Forget(T item) => _rateLimiter.Forget(item);

    public int NumRequeues(T item) => _rateLimiter.NumRequeues(item);

    /// <summary>
    /// Waits for the next item. Returns (false, default) once the queue is shut down and drained.
    /// The caller must call <see cref="Done"/> when it finishes with the item.
    /// </summary>
    public async Task<(bool Ok, T Item)> GetAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            TaskCompletionSource waiter;
            LinkedListNode<TaskCompletionSource> node;
            lock (_lock)
            {
                if (_queue.Count > 0)
                {
                    var item = _queue.Dequeue();
                    _processing.Add(item);
                    _dirty.Remove(item);
                    return (true, item);
                }
                if (_shuttingDown)
                {
                    return (false, default!);
                }
                waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                node = _waiters.AddLast(waiter);
            }
            try
            {
                await waiter.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                lock (_lock)
                {
                    if (node.List is not null)
                    {
                        _waiters.Remove(node);
                    }
                }
                // If an Add woke this waiter just as it was cancelled, pass the wake-up on.
                if (waiter.Task.IsCompletedSuccessfully)
                {
                    WakeOne();
                }
                throw;
            }
        }
    }

    /// <summary>Marks processing finished; re-queues the item if it was added meanwhile.</summary>
    public void Done(T item)
    {
        TaskCompletionSource? wake = null;
        lock (_lock)
        {
            _processing.Remove(item);
            if (_dirty.Contains(item))
            {
                _queue.Enqueue(item);
                wake = PopWaiter();
            }
        }
        wake?.TrySetResult();
    }

    /// <summary>Stops accepting items; waiting getters drain what is left, then get (false, default).</summary>
    public void ShutDown()
    {
        List<TaskCompletionSource> waiters;
        lock (_lock)
        {
            _shuttingDown = true;
            foreach (var timer in _timers)
            {
                timer.Dispose();
            }
            _timers.Clear();
            waiters = [.. _waiters];
            _waiters.Clear();
        }
        foreach (var w in waiters)
        {
            w.TrySetResult();
        }
    }

    private void WakeOne()
    {
        TaskCompletionSource? wake;
        lock (_lock)
        {
            wake = _queue.Count > 0 || _shuttingDown ? PopWaiter() : null;
        }
        wake?.TrySetResult();
    }

    private TaskCompletionSource? PopWaiter()
    {
        var first = _waiters.First;
        if (first is null)
        {
            return null;
        }
        _waiters.RemoveFirst();
        return first.Value;
    }

    public void Dispose() => ShutDown();
}
