using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Broker.Config;
using Tributary.Protocol.Messages;
using Tributary.Storage;

namespace Tributary.Broker.Metadata;

/// <summary>
/// Single-node metadata quorum: the metadata log is the local <c>__cluster_metadata-0</c>
/// partition, a commit is an fsynced append, and the image is the replay of the whole log. This
/// node is always the active controller. On open it checks or writes <c>meta.properties</c> in every
/// log dir (cluster id from there, else config <c>cluster.id</c>, else a new random id) and replays
/// the log.
/// </summary>
public sealed partial class LocalMetadataStore : IMetadataView, IMetadataCommitter, IQuorumView
{
    /// <summary>The Raft leader epoch stamped on every batch: a single node leads forever.</summary>
    public const int LeaderEpochValue = 1;

    private readonly MetadataLog _log;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Lock _commitLock = new();
    private MetadataImage _current;

    private LocalMetadataStore(int nodeId, MetadataLog log, MetadataImage image, ILogger logger, TimeProvider time)
    {
        NodeId = nodeId;
        _log = log;
        _current = image;
        _logger = logger;
        _time = time;
    }

    public MetadataImage Current => Volatile.Read(ref _current);

    public int NodeId { get; }

    /// <summary>A single node leads its quorum of one forever.</summary>
    public int LeaderId => NodeId;

    public int LeaderEpoch => LeaderEpochValue;

    public bool IsActiveController => true;

    /// <summary>Never raised: leadership of a single-node quorum does not change.</summary>
    public event Action? LeadershipChanged
    {
        add { }
        remove { }
    }

    public event Action<MetadataImage, MetadataImage>? Changed;

    /// <summary>
    /// Opens the store: verifies or writes <c>meta.properties</c>, opens the metadata log through
    /// <paramref name="logs"/> (starting it if needed) and replays it. Throws
    /// <see cref="InvalidOperationException"/> when a log dir belongs to another cluster or node.
    /// </summary>
    public static LocalMetadataStore Open(BrokerConfig config, LogManager logs, ILogger<LocalMetadataStore>? logger = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(logs);
        var clusterId = MetaProperties.Ensure(config);
        var log = MetadataLog.Open(logs);
        var delta = new MetadataDelta(MetadataImage.Empty(clusterId) with { ControllerId = config.NodeId });
        log.ReadAll((offset, record) => delta.Replay(record, offset));
        var image = delta.Apply();
        var store = new LocalMetadataStore(config.NodeId, log, image, (ILogger?)logger ?? NullLogger.Instance, time ?? TimeProvider.System);
        store.LogLoaded(clusterId, delta.Count, image.Topics.Count, log.EndOffset);
        return store;
    }

    public ValueTask<MetadataImage> CommitAsync(IReadOnlyList<IMetadataRecord> records, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(records);
        ct.ThrowIfCancellationRequested();
        if (records.Count == 0)
        {
            return ValueTask.FromResult(Current);
        }

        MetadataImage previous, next;
        lock (_commitLock)
        {
            previous = _current;
            // Replay first: a record that does not apply must never reach the log.
            var delta = new MetadataDelta(previous);
            var offset = _log.EndOffset;
            foreach (var record in records)
            {
                delta.Replay(record, offset++);
            }

            next = delta.Apply();
            _log.Append(records, LeaderEpochValue, _time.GetUtcNow().ToUnixTimeMilliseconds());
            Volatile.Write(ref _current, next);
            Publish(previous, next);
        }

        return ValueTask.FromResult(next);
    }

    private void Publish(MetadataImage previous, MetadataImage next)
    {
        var handlers = Changed;
        if (handlers is null)
        {
            return;
        }

        // One failing subscriber must not keep the others from seeing a committed change.
        foreach (var handler in handlers.GetInvocationList().Cast<Action<MetadataImage, MetadataImage>>())
        {
            try
            {
                handler(previous, next);
            }
#pragma warning disable CA1031 // the commit is durable already; report and carry on
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogSubscriberFailed(e, next.Offset);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Metadata for cluster {ClusterId} loaded: {Records} records, {Topics} topics, log end offset {EndOffset}")]
    private partial void LogLoaded(string clusterId, int records, int topics, long endOffset);

    [LoggerMessage(Level = LogLevel.Error, Message = "A metadata change listener failed on the image at offset {Offset}")]
    private partial void LogSubscriberFailed(Exception exception, long offset);
}
