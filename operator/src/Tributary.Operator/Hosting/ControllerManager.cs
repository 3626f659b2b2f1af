using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tributary.Kube;

namespace Tributary.Operator.Hosting;

/// <summary>
/// Runs the registered controllers only while this instance holds the leader lease. Losing the lease
/// stops the controllers and the process (like controller-runtime): the pod restarts as a clean standby,
/// with no caches or timers left over from its time as leader.
/// </summary>
public sealed class ControllerManager : BackgroundService
{
    private readonly IKubeClient _client;
    private readonly IReadOnlyList<IController> _controllers;
    private readonly OperatorOptions _options;
    private readonly OperatorState _state;
    private readonly IOperatorMetrics _metrics;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    public ControllerManager(
        IKubeClient client,
        IEnumerable<IController> controllers,
        OperatorOptions options,
        OperatorState state,
        IOperatorMetrics metrics,
        IHostApplicationLifetime lifetime,
        ILogger<ControllerManager> logger,
        TimeProvider time)
    {
        _client = client;
        _controllers = controllers.ToList();
        _options = options;
        _state = state;
        _metrics = metrics;
        _lifetime = lifetime;
        _logger = logger;
        _time = time;
    }

    /// <summary>True when every controller's caches are synced (vacuously true when not leading).</summary>
    public bool ControllersSynced => _controllers.All(c => c.HasSynced);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.LeaderElection)
        {
            _state.ElectionStarted = true;
            _state.Leading = true;
            _metrics.SetLeader(true);
            await RunControllersAsync(stoppingToken).ConfigureAwait(false);
            return;
        }

        var elector = new LeaderElector(_client, new LeaderElectionOptions
        {
            LeaseName = _options.LeaseName,
            LeaseNamespace = _options.Namespace,
            Identity = _options.Identity,
            LeaseDuration = _options.LeaseDuration,
            RenewDeadline = _options.RenewDeadline,
            RetryPeriod = _options.RetryPeriod,
            TimeProvider = _time,
        });
        using var leading = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        Task? running = null;
        elector.OnNewLeader += holder =>
        {
            _state.ElectionStarted = true;
            _logger.LogInformation("Leader is {Holder}", holder);
        };
        elector.OnStartedLeading += () =>
        {
            _state.ElectionStarted = true;
            _state.Leading = true;
            _metrics.SetLeader(true);
            _logger.LogInformation("{Identity} acquired lease {Namespace}/{Lease}; starting {Count} controllers", _options.Identity, _options.Namespace, _options.LeaseName, _controllers.Count);
            running = RunControllersAsync(leading.Token);
        };
        elector.OnStoppedLeading += () =>
        {
            _state.Leading = false;
            _metrics.SetLeader(false);
            leading.Cancel();
            if (!stoppingToken.IsCancellationRequested)
            {
                _logger.LogError("{Identity} lost lease {Namespace}/{Lease}; stopping so a fresh instance can stand by", _options.Identity, _options.Namespace, _options.LeaseName);
                _lifetime.StopApplication();
            }
        };

        // Controllers stop before the lease is released, so two leaders never overlap.
        using var electionStop = new CancellationTokenSource();
        await using (stoppingToken.Register(() =>
        {
            leading.Cancel();
            var wait = running ?? Task.CompletedTask;
            wait.ContinueWith(_ => electionStop.Cancel(), TaskScheduler.Default);
        }).ConfigureAwait(false))
        {
            await elector.RunAsync(electionStop.Token).ConfigureAwait(false);
        }

        if (running is not null)
        {
            await running.ConfigureAwait(false);
        }
    }

    private async Task RunControllersAsync(CancellationToken cancellationToken)
    {
        var tasks = _controllers.Select(c => Task.Run(() => RunOneAsync(c, cancellationToken), CancellationToken.None)).ToList();
        await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    private async Task RunOneAsync(IController controller, CancellationToken cancellationToken)
    {
        try
        {
            await controller.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped.
        }
#pragma warning disable CA1031 // a crashed controller fails liveness and stops the process instead of running half an operator
        catch (Exception e)
#pragma warning restore CA1031
        {
            _state.Failed = true;
            _logger.LogCritical(e, "Controller {Controller} crashed; stopping the operator", controller.Name);
            _lifetime.StopApplication();
        }
    }
}
