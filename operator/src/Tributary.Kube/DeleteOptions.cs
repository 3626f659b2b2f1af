namespace Tributary.Kube;

/// <summary>Options of a DELETE call.</summary>
public sealed record DeleteOptions
{
    public DeletePropagation? PropagationPolicy { get; init; }

    /// <summary>Only delete when the object still has this uid.</summary>
    public string? PreconditionUid { get; init; }

    /// <summary>Only delete when the object still has this resourceVersion.</summary>
    public string? PreconditionResourceVersion { get; init; }

    public long? GracePeriodSeconds { get; init; }
}
