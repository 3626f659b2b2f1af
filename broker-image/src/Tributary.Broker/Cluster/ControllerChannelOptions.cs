namespace Tributary.Broker.Cluster;

/// <summary>Timing of <see cref="ControllerChannel"/>: per-attempt limits and the retry back-off.</summary>
public sealed record ControllerChannelOptions
{
    /// <summary>Client id the controller sees in request headers.</summary>
    public string ClientId { get; init; } = "tributary-controller-channel";

    /// <summary>Longest wait for one TCP connect + ApiVersions exchange.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest wait for one response before the connection is dropped and another controller is tried.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Shortest pause after a failed attempt (NOT_CONTROLLER, connection failure).</summary>
    public TimeSpan MinBackoff { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Longest pause after a failed attempt; the actual pause is uniformly jittered in between.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromMilliseconds(200);
}
