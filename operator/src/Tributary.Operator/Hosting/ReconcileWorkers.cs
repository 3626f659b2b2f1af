using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Tributary.Kube;

namespace Tributary.Operator.Hosting;

/// <summary>
/// The worker loop every controller shares: takes keys off a <see cref="WorkQueue{T}"/>, reconciles them,
/// requeues with backoff on failure and after the requested delay on success, and records metrics.
/// The queue guarantees one key is never reconciled by two workers at once.
/// </summary>
public sealed class ReconcileWorkers
{
    private readonly string _controller;
    private readonly WorkQueue<string> _queue;
    private readonly Func<string, CancellationToken, Task<ReconcileResult>> _reconcile;
    private readonly IOperatorMetrics _metrics;
    private readonly ILogger _logger;

    public ReconcileWorkers(
        string controller,
        WorkQueue<string> queue,
        Func<string, CancellationToken, Task<ReconcileResult>> reconcile,
        IOperatorMetrics metrics,
        ILogger logger)
    {
        _controller = controller;
        _queue = queue ?? throw new ArgumentNullException(nameof(queue));
        _reconcile = reconcile ?? throw new ArgumentNullException(nameof(reconcile));
        _metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _metrics.RegisterQueue(controller, () => queue.Count);
    }

    /// <summary>Runs <paramref name="workers"/> loops until cancelled; then shuts the queue down.</summary>
    public async Task RunAsync(int workers, CancellationToken cancellationToken)
    {
        var loops = Enumerable.Range(0, Math.Max(1, workers)).Select(_ => Task.Run(() => LoopAsync(cancellationToken), CancellationToken.None)).ToList();
        try
        {
            await Task.WhenAll(loops).ConfigureAwait(false);
        }
        finally
        {
            _queue.ShutDown();
        }
    }

    private async Task LoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            (bool Ok, string Item) next;
            try
            {
                next = await _queue.GetAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (!next.Ok)
            {
                return;
            }

            await ProcessAsync(next.Item, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ProcessAsync(string key, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var result = await _reconcile(key, cancellationToken).ConfigureAwait(false);
            _metrics.ObserveReconcile(_controller, Stopwatch.GetElapsedTime(started), succeeded: true);
            _queue.Forget(key);
            if (result.RequeueAfter is { } delay)
            {
                _queue.AddAfter(key, delay);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: the key is reconciled again by whoever leads next.
        }
#pragma warning disable CA1031 // any failure of one reconcile is logged and retried with backoff
        catch (Exception e)
#pragma warning restore CA1031
        {
            _metrics.ObserveReconcile(_controller, Stopwatch.GetElapsedTime(started), succeeded: false);
            _logger.LogWarning(e, "{Controller} reconcile of {Key} failed (attempt {Attempt}); retrying with backoff", _controller, key, _queue.NumRequeues(key) + 1);
            _queue.AddRateLimited(key);
        }
        finally
        {
            _queue.Done(key);
        }
    }
}
