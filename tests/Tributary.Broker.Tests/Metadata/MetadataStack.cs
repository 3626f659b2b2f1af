using Tributary.Broker.Config;
using Tributary.Broker.Metadata;
using Tributary.Broker.Metadata.Controller;
using Tributary.Broker.Topics;
using Tributary.Storage;

namespace Tributary.Broker.Tests.Metadata;

/// <summary>
/// A single-node metadata stack over a temporary log dir: log manager, store, controller. Dispose
/// and <see cref="Reopen"/> to simulate a restart on the same disk.
/// </summary>
internal sealed class MetadataStack : IAsyncDisposable
{
    private MetadataStack(string dir, BrokerConfig config, LogManager logs, LocalMetadataStore store, QuorumController controller)
    {
        Dir = dir;
        Config = config;
        Logs = logs;
        Store = store;
        Controller = controller;
        Resolver = new TopicConfigResolver(config);
    }

    public string Dir { get; }

    public BrokerConfig Config { get; }

    public LogManager Logs { get; }

    public LocalMetadataStore Store { get; }

    public QuorumController Controller { get; }

    public TopicConfigResolver Resolver { get; }

    public MetadataImage Image => Store.Current;

    public static Dictionary<string, string> Props(string dir, params (string Key, string Value)[] extra)
    {
        var props = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["node.id"] = "1",
            ["process.roles"] = "broker,controller",
            ["listeners"] = "PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093",
            ["advertised.listeners"] = "PLAINTEXT://localhost:9092",
            ["controller.listener.names"] = "CONTROLLER",
            ["controller.quorum.voters"] = "1@127.0.0.1:9093",
            ["log.dirs"] = dir,
            ["offsets.topic.num.partitions"] = "3",
        };
        foreach (var (k, v) in extra)
        {
            props[k] = v;
        }

        return props;
    }

    public static string NewDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "tributary-meta-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    public static async Task<MetadataStack> StartAsync(string? dir = null, params (string Key, string Value)[] extra)
    {
        dir ??= NewDir();
        var config = BrokerConfig.Parse(Props(dir, extra), new Dictionary<string, string>());
        return await StartAsync(dir, config);
    }

    public static async Task<MetadataStack> StartAsync(string dir, BrokerConfig config)
    {
        var resolver = new TopicConfigResolver(config);
        LocalMetadataStore? storeRef = null;
        var logs = new LogManager(new LogManagerOptions
        {
            LogDirs = config.LogDirs,
            TopicConfig = topic => storeRef is null ? null : resolver.Resolve(storeRef.Current, topic),
        });
        var store = LocalMetadataStore.Open(config, logs);
        storeRef = store;
        var controller = new QuorumController(config, store, resolver, random: new Random(7));
        await controller.StartAsync(CancellationToken.None);
        return new MetadataStack(dir, config, logs, store, controller);
    }

    /// <summary>Closes this stack (like a clean shutdown) and starts a new one on the same dir.</summary>
    public async Task<MetadataStack> Reopen()
    {
        await CloseAsync();
        return await StartAsync(Dir, Config);
    }

    public async Task CloseAsync()
    {
        Controller.Dispose();
        await Logs.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync();
        DeleteDir(Dir);
    }

    public static void DeleteDir(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
