namespace Tributary.Operator.Api;

/// <summary>
/// The kstatus condition types every Tributary resource reports. kubectl wait, Helm and the Argo CD
/// health checks in examples/argocd/health read exactly these.
/// </summary>
public static class ConditionTypes
{
    /// <summary>True when the resource matches its spec and serves traffic.</summary>
    public const string Ready = "Ready";

    /// <summary>True while the operator is still working towards the spec.</summary>
    public const string Reconciling = "Reconciling";

    /// <summary>True when the operator cannot make progress without a spec change (e.g. invalid spec).</summary>
    public const string Stalled = "Stalled";
}
