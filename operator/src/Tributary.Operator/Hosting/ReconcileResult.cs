namespace Tributary.Operator.Hosting;

/// <summary>Outcome of a successful reconcile: done, or look again after a delay.</summary>
/// <param name="RequeueAfter">Reconcile the key again after this delay even without a watch event.</param>
public readonly record struct ReconcileResult(TimeSpan? RequeueAfter)
{
    public static ReconcileResult Done => default;

    public static ReconcileResult After(TimeSpan delay) => new(delay);

    /// <summary>The earlier of two requeue requests.</summary>
    public ReconcileResult Merge(ReconcileResult other) =>
        RequeueAfter is null ? other
        : other.RequeueAfter is null ? this
        : new ReconcileResult(RequeueAfter < other.RequeueAfter ? RequeueAfter : other.RequeueAfter);
}
