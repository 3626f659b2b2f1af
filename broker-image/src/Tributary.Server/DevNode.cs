namespace Tributary.Server;

/// <summary>One node of a <c>tributary dev</c> cluster: where it listens, keeps data and logs.</summary>
public sealed record DevNode(int Id, string? Rack, bool IsController, int Port, int? ControllerPort, int MetricsPort, string Directory)
{
    public string Roles => IsController ? "broker,controller" : "broker";

    public string ConfigPath => Path.Combine(Directory, "server.properties");

    public string LogPath => Path.Combine(Directory, "broker.log");

    public string LogDirs => Path.Combine(Directory, "logs");

    public string BootstrapAddress => $"127.0.0.1:{Port}";
}
