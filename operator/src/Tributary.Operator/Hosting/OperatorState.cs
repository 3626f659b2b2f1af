namespace Tributary.Operator.Hosting;

/// <summary>What /healthz and /readyz report: whether the host loop is alive and this instance's role.</summary>
public sealed class OperatorState
{
    private volatile bool _electionStarted;
    private volatile bool _leading;
    private volatile bool _failed;

    /// <summary>True once the first lease attempt finished (the instance knows whether it leads).</summary>
    public bool ElectionStarted
    {
        get => _electionStarted;
        set => _electionStarted = value;
    }

    public bool Leading
    {
        get => _leading;
        set => _leading = value;
    }

    /// <summary>A controller crashed; liveness fails so the kubelet restarts the container.</summary>
    public bool Failed
    {
        get => _failed;
        set => _failed = value;
    }
}
