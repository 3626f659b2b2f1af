using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Broker.Cluster;
using Tributary.Broker.Requests;
using Tributary.Broker.Tests.Network;

namespace Tributary.Broker.Tests.Cluster;

/// <summary>An in-process Kafka-protocol server on loopback serving ApiVersions plus the given stub handlers.</summary>
internal sealed class StubControllerServer : IAsyncDisposable
{
    private readonly TestServer _server;

    private StubControllerServer(int id, TestServer server)
    {
        Id = id;
        _server = server;
    }

    public int Id { get; }

    public int Port => _server.Port;

    public ControllerEndpoint Endpoint => new(Id, "127.0.0.1", Port);

    public static StubControllerServer Start(int id, params IRequestHandler[] handlers) => Start(id, null, handlers);

    public static StubControllerServer Start(int id, CountingObserver? observer, params IRequestHandler[] handlers)
    {
        HandlerTable? table = null;
        table = new HandlerTable([new ApiVersionsHandler(() => table!), .. handlers]);
        var dispatcher = new RequestDispatcher(table, NullLogger<RequestDispatcher>.Instance);
        return new StubControllerServer(id, TestServer.Start(dispatcher, observer: observer));
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
