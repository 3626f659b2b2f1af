using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Broker.Config;
using Tributary.Broker.Handlers.Quorum;
using Tributary.Broker.Network;
using Tributary.Broker.Quorum;
using Tributary.Broker.Requests;
using Tributary.Storage;
using Xunit;

namespace Tributary.Broker.Tests.Quorum;

/// <summary>
/// One quorum member as the broker would run it: <see cref="RaftMetadataStore.Open"/> on its own
/// directory and a <see cref="SocketServer"/> on a fixed loopback port serving the KRaft RPCs.
/// </summary>
internal sealed class QuorumTestNode : IAsyncDisposable
{
    private LogManager? _logs;

    private QuorumTestNode(int id, BrokerConfig config)
    {
        Id = id;
        Config = config;
    }

    public int Id { get; }

    public BrokerConfig Config { get; }

    public RaftMetadataStore Store { get; private set; } = null!;

    public SocketServer Server { get; private set; } = null!;

    public bool Running { get; private set; }

    public static QuorumTestNode Start(int id, BrokerConfig config)
    {
        var node = new QuorumTestNode(id, config);
        node.StartCore();
        return node;
    }

    private void StartCore()
    {
        _logs = new LogManager(new LogManagerOptions { LogDirs = Config.LogDirs });
        Store = RaftMetadataStore.Open(Config, _logs);
        var quorumFetch = new QuorumFetchHandler(Store.Driver);
        HandlerTable? table = null;
        table = new HandlerTable(
        [
            new ApiVersionsHandler(() => table!),
            new VoteHandler(Store.Driver),
            new BeginQuorumEpochHandler(Store.Driver),
            new EndQuorumEpochHandler(Store.Driver),
            new FetchSnapshotHandler(Store.Driver),
            new QuorumDescribeQuorumHandler(Store.Driver, Config),
            new QuorumOnlyFetchHandler(quorumFetch),
        ]);
        var dispatcher = new RequestDispatcher(table, NullLogger<RequestDispatcher>.Instance);
        var bindings = Config.Listeners.Select(l => new ListenerBinding(l, SecurityProtocol.Plaintext)).ToArray();
        Server = new SocketServer(bindings, dispatcher, new SocketServerOptions());
        Server.Start();
        Store.Start();
        Running = true;
    }

    /// <summary>Restarts on the same directory and port.</summary>
    public void Restart()
    {
        Assert.False(Running);
        StartCore();
    }

    /// <summary>Stops like a crash (no resignation) unless <paramref name="resign"/>.</summary>
    public async Task StopAsync(bool resign = false)
    {
        if (!Running)
        {
            return;
        }

        Running = false;
        await Server.StopAsync(TimeSpan.FromSeconds(2));
        await Server.DisposeAsync();
        await Store.StopAsync(resign, TimeSpan.FromSeconds(1));
        await Store.DisposeAsync();
        await _logs!.DisposeAsync();
    }

    public ValueTask DisposeAsync() => new(StopAsync());
}
