namespace Tributary.Broker.Tests.Server;

/// <summary>A server.properties written to a temp file (deleted on dispose), on loopback ephemeral ports.</summary>
internal sealed class TempConfig : IDisposable
{
    /// <summary>
    /// A combined-mode single node on loopback. Its own voter address must be its CONTROLLER listener
    /// (it registers with itself through it), so that port is a free one picked per call.
    /// </summary>
    public static string Valid => ValidWithControllerPort(FreePort());

    private static string ValidWithControllerPort(int port) => $"""
        # combined-mode single node on loopback
        node.id=1
        process.roles=broker,controller
        listeners=PLAINTEXT://127.0.0.1:0,CONTROLLER://127.0.0.1:{port}
        controller.listener.names=CONTROLLER
        controller.quorum.voters=1@127.0.0.1:{port}
        tributary.metrics.listener=127.0.0.1:0
        tributary.shutdown.timeout.ms=2000
        some.unknown.key=1
        """;

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public TempConfig(string text)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"tributary-test-{Guid.NewGuid():N}.properties");
        File.WriteAllText(Path, text);
    }

    public string Path { get; }

    public void Dispose() => File.Delete(Path);
}
