namespace Tributary.Broker.Tests.Server;

/// <summary>A server.properties written to a temp file (deleted on dispose), on loopback ephemeral ports.</summary>
internal sealed class TempConfig : IDisposable
{
    public const string Valid = """
        # combined-mode single node on ephemeral loopback ports
        node.id=1
        process.roles=broker,controller
        listeners=PLAINTEXT://127.0.0.1:0,CONTROLLER://127.0.0.1:0
        controller.listener.names=CONTROLLER
        controller.quorum.voters=1@127.0.0.1:9093
        tributary.metrics.listener=127.0.0.1:0
        tributary.shutdown.timeout.ms=2000
        some.unknown.key=1
        """;

    public TempConfig(string text)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"tributary-test-{Guid.NewGuid():N}.properties");
        File.WriteAllText(Path, text);
    }

    public string Path { get; }

    public void Dispose() => File.Delete(Path);
}
