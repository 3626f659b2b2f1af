namespace Tributary.Operator.Controllers;

/// <summary>How far a valid cluster is from its spec; becomes the Ready and Reconciling conditions.</summary>
/// <param name="Ready">Every node runs its current template and is Ready.</param>
/// <param name="Reason">CamelCase reason (see <see cref="ConditionReasons"/>).</param>
/// <param name="Message">Human-readable details.</param>
public sealed record ClusterProgress(bool Ready, string Reason, string Message);
