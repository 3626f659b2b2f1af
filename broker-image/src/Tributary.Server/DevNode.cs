namespace Tributary.Server;

/// <summary>
/// One node of a <c>tributary dev</c> cluster: where it listens, keeps data and logs. A broker has a
/// client <see cref="Port"/>; a dedicated controller has none, only its <see cref="ControllerPort"/>.
/// </summary>
public sealed record DevNode(int Id, string? Rack, bool IsController, int? Port, int? ControllerPort, int MetricsPort, string Directory)
{
    /// <summary>True for a node that hosts partitions and serves clients (it has a PLAINTEXT listener).</summary>
    public bool IsBroker => Port is not null;

    public string Roles => (IsBroker, IsController) switch
    {
        (true, true) => "broker,controller",
        (true, false) => "broker",
        _ => "controller",
    };

    /// <summary>The port the node accepts connections on: PLAINTEXT on a broker, CONTROLLER on a dedicated controller.</summary>
    public int ListenPort => Port ?? ControllerPort ?? throw new InvalidOperationException($"node {Id} has no listener");

    public string ConfigPath => Path.Combine(Directory, "server.properties");

    public string LogPath => Path.Combine(Directory, "broker.log");

    public string LogDirs => Path.Combine(Directory, "logs");

    /// <summary>The client address of a broker, or null on a dedicated controller (clients never connect to it).</summary>
    public string? BootstrapAddress => Port is { } port ? $"127.0.0.1:{port}" : null;
}
