using System.Security.Cryptography.X509Certificates;

namespace Tributary.Kube;

/// <summary>Resolved connection settings: where the API server is and how to authenticate and trust it.</summary>
public sealed record KubeConfig
{
    public required Uri Server { get; init; }

    public string Namespace { get; init; } = "default";

    /// <summary>CA certificates that anchor the server's chain; empty means the system trust store.</summary>
    public IReadOnlyList<X509Certificate2> CaCertificates { get; init; } = [];

    public X509Certificate2? ClientCertificate { get; init; }

    public ITokenSource? Token { get; init; }

    public bool InsecureSkipTlsVerify { get; init; }

    /// <summary>Timeout of non-watch requests.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
