namespace Tributary.Operator.Rendering;

/// <summary>An address clients use to reach a broker from outside Kubernetes.</summary>
public sealed record HostPort(string Host, int Port);
