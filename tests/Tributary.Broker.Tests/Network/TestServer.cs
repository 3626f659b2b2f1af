using Tributary.Broker.Config;
using Tributary.Broker.Network;

namespace Tributary.Broker.Tests.Network;

/// <summary>A started <see cref="SocketServer"/> on an ephemeral loopback port, stopped on dispose.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    private TestServer(SocketServer server) => Server = server;

    public SocketServer Server { get; }

    public int Port => Server.GetBoundPort("PLAINTEXT");

    public static TestServer Start(IRequestDispatcher dispatcher, SocketServerOptions? options = null, INetworkObserver? observer = null)
    {
        var bindings = new[] { new ListenerBinding(new ListenerEndpoint("PLAINTEXT", "127.0.0.1", 0), SecurityProtocol.Plaintext) };
        var server = new SocketServer(bindings, dispatcher, options ?? new SocketServerOptions(), observer);
        server.Start();
        return new TestServer(server);
    }

    public async ValueTask DisposeAsync()
    {
        await Server.StopAsync(TimeSpan.FromSeconds(5));
        await Server.DisposeAsync();
    }
}
