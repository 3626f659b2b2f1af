using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Broker.Config;
using Tributary.Broker.Metadata;
using Tributary.Broker.Raft;
using Tributary.Protocol.Messages;
using Tributary.Protocol.Records;
using Tributary.Storage;

namespace Tributary.Broker.Quorum;

/// <summary>
/// The cluster's metadata store on a Raft quorum. <see cref="Current"/> is the replay of the
/// committed metadata records (the Raft high watermark), published through <see cref="Changed"/> from
/// one apply thread, in log order. On the active controller (the leader, once its LeaderChange record
/// is committed) <see cref="CommitAsync"/> plans each commit against the latest uncommitted image,
/// so the next commit can be validated while the previous one replicates; the uncommitted image is
/// dropped whenever leadership changes. Every <c>metadata.log.max.record.bytes.between.snapshots</c>
/// bytes of applied log it writes a snapshot (the image as records) and the log is trimmed.
/// </summary>
public sealed partial class RaftMetadataStore : IMetadataView, IMetadataCommitter, IQuorumView, IRaftStateMachine, IAsyncDisposable
{
    /// <summary>The quorum-state file in the metadata partition's directory, as Kafka names it.</summary>
    public const string QuorumStateFileName = "quorum-state";

    private readonly string _clusterId;
    private readonly long _snapshotIntervalBytes;
    private readonly IAsyncDisposable? _ownedTransport;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Channel<Action> _applyQueue = Channel.CreateUnbounded<Action>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _commitGate = new(1, 1);
    private readonly Lock _waitersLock = new();
    private readonly List<(long End, TaskCompletionSource Completion)> _appliedWaiters = [];
    private MetadataImage _current;
    private Leadership _leadership = new(-1, 0, false);
    private RaftStatus? _status;
    private Task _applyLoop = Task.CompletedTask;
    private long _bytesSinceSnapshot;
    private bool _snapshotInFlight;
    private int _state; // 0 new, 1 running, 2 stopped

    // The planning state of the active controller: the image after every record it appended, the
    // offset the next record gets, and the epoch they belong to (-1: rebuild from the committed image).
    private MetadataImage _planImage;
    private long _planNextOffset;
    private int _planEpoch = -1;

    public RaftMetadataStore(string clusterId, RaftDriverOptions options, IRaftLog log, IQuorumStateStore quorumState, IRaftTransport transport,
        long snapshotIntervalBytes, ILoggerFactory? loggers = null, TimeProvider? time = null)
        : this(clusterId, options, log, quorumState, transport, snapshotIntervalBytes, ownsTransport: false, loggers, time)
    {
    }

    private RaftMetadataStore(string clusterId, RaftDriverOptions options, IRaftLog log, IQuorumStateStore quorumState, IRaftTransport transport,
        long snapshotIntervalBytes, bool ownsTransport, ILoggerFactory? loggers, TimeProvider? time)
    {
        ArgumentException.ThrowIfNullOrEmpty(clusterId);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(snapshotIntervalBytes, 1);
        _clusterId = clusterId;
        _snapshotIntervalBytes = snapshotIntervalBytes;
        _ownedTransport = ownsTransport ? transport as IAsyncDisposable : null;
        _logger = loggers?.CreateLogger<RaftMetadataStore>() ?? (ILogger)NullLogger.Instance;
        _time = time ?? TimeProvider.System;
        _current = MetadataImage.Empty(clusterId);
        _planImage = _current;
        NodeId = options.Raft.NodeId;
        Driver = new RaftDriver(options, log, quorumState, transport, this, loggers?.CreateLogger<RaftDriver>(), time);
    }

    /// <summary>
    /// Opens the store of a multi-node cluster: checks or writes <c>meta.properties</c> (the cluster id
    /// must come from there or <c>cluster.id</c>), opens the Raft log on the <c>__cluster_metadata-0</c>
    /// partition of the first log dir through <paramref name="logs"/> (snapshots and the quorum-state
    /// file live in its directory) and a <see cref="KafkaRaftTransport"/> to the voters, unless
    /// <paramref name="transport"/> is given. Call <see cref="Start"/> next.
    /// </summary>
    public static RaftMetadataStore Open(BrokerConfig config, LogManager logs, ILoggerFactory? loggers = null,
        IRaftTransport? transport = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(logs);
        if (config.QuorumVoters.Count == 0)
        {
            throw new InvalidOperationException("controller.quorum.voters is empty: a Raft metadata quorum needs a static voter set");
        }

        // A lone voter bootstraps its own cluster id (kafka-storage format --standalone does the same);
        // several voters must agree on one, so it has to be configured.
        var clusterId = MetaProperties.Ensure(config, requireClusterId: config.QuorumVoters.Count > 1);
        logs.Startup();
        var partition = logs.GetLog(MetadataLog.Partition) ?? logs.GetOrCreateLog(MetadataLog.Partition, MetadataLog.LogConfig);
        partition.Config = MetadataLog.LogConfig;
        var raftLog = new PartitionRaftLog(partition, partition.Directory);
        var quorumState = new FileQuorumStateStore(Path.Combine(partition.Directory, QuorumStateFileName), clusterId,
            config.QuorumVoters.Select(v => v.Id).ToArray());
        var owned = transport is null;
        transport ??= KafkaRaftTransport.FromConfig(config);
        return new RaftMetadataStore(clusterId, RaftDriverOptions.FromConfig(config, clusterId), raftLog, quorumState, transport,
            config.MetadataLogMaxRecordBytesBetweenSnapshots, owned, loggers, time);
    }

    /// <summary>The Raft driver: the quorum request handlers answer through it.</summary>
    public RaftDriver Driver { get; }

    public string ClusterId => _clusterId;

    public MetadataImage Current => Volatile.Read(ref _current);

    public int NodeId { get; }

    public int LeaderId => Volatile.Read(ref _leadership).LeaderId;

    public int LeaderEpoch => Volatile.Read(ref _leadership).Epoch;

    public bool IsActiveController => Volatile.Read(ref _leadership).IsActive;

    /// <summary>Raised on the apply thread when the leader, the epoch or <see cref="IsActiveController"/> changed.</summary>
    public event Action? LeadershipChanged;

    /// <summary>Raised on the apply thread after each new committed image, in log order. Handlers must be quick.</summary>
    public event Action<MetadataImage, MetadataImage>? Changed;

    /// <summary>Starts applying and joins the quorum (loads the latest snapshot, then follows the log).</summary>
    public void Start()
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
        {
            throw new InvalidOperationException("the store was already started");
        }

        _applyLoop = Task.Run(RunApplyLoopAsync, CancellationToken.None);
        Driver.Start();
    }

    /// <summary>
    /// Leaves the quorum: when <paramref name="resign"/> and this node leads, it first hands leadership
    /// over (EndQuorumEpoch, waiting up to <paramref name="resignTimeout"/>), so the next leader is
    /// elected at once. Pending commits fail with <see cref="NotControllerException"/>.
    /// </summary>
    public async Task StopAsync(bool resign = true, TimeSpan? resignTimeout = null)
    {
        if (Interlocked.Exchange(ref _state, 2) != 1)
        {
            return;
        }

        if (resign)
        {
            await Driver.ResignAsync(resignTimeout ?? TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        }

        await Driver.StopAsync().ConfigureAwait(false);
        _applyQueue.Writer.TryComplete();
        await _applyLoop.ConfigureAwait(false);
        lock (_waitersLock)
        {
            foreach (var (_, completion) in _appliedWaiters)
            {
                completion.TrySetException(new NotControllerException("the metadata quorum is shut down"));
            }

            _appliedWaiters.Clear();
        }

        if (_ownedTransport is not null)
        {
            await _ownedTransport.DisposeAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(resign: false).ConfigureAwait(false);
        await Driver.DisposeAsync().ConfigureAwait(false);
        _commitGate.Dispose();
    }

    /// <summary>
    /// Commits <paramref name="records"/> as one batch through the quorum and returns the committed
    /// image that includes them. Throws <see cref="NotControllerException"/> when this node is not the
    /// active controller or loses leadership before the records commit (they may or may not commit
    /// later under the new leader's log), and <see cref="MetadataReplayException"/> when they do not
    /// apply to the latest (uncommitted) image, appending nothing.
    /// </summary>
    public async ValueTask<MetadataImage> CommitAsync(IReadOnlyList<IMetadataRecord> records, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(records);
        ct.ThrowIfCancellationRequested();
        if (records.Count == 0)
        {
            return Current;
        }

        if (Volatile.Read(ref _state) == 2)
        {
            throw new NotControllerException("the metadata quorum is shut down");
        }

        Task<long> append;
        int epoch;
        long lastOffset;
        await _commitGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var leadership = Volatile.Read(ref _leadership);
            if (!leadership.IsActive)
            {
                throw new NotControllerException($"node {NodeId} is not the active controller") { KnownLeaderId = leadership.LeaderId };
            }

            epoch = leadership.Epoch;
            if (_planEpoch != epoch)
            {
                // First commit of this term: the committed image covers the whole log (the leader's
                // LeaderChange record is committed, so nothing of earlier epochs is pending).
                _planImage = Current;
                _planNextOffset = _planImage.Offset + 1;
                _planEpoch = epoch;
            }

            var baseOffset = _planNextOffset;
            var delta = new MetadataDelta(_planImage);
            var values = new ReadOnlyMemory<byte>[records.Count];
            long size = 0;
            for (var i = 0; i < records.Count; i++)
            {
                delta.Replay(records[i], baseOffset + i);
                values[i] = MetadataRecordSerde.Serialize(records[i]);
                size += values[i].Length;
            }

            if (size > MetadataLog.MaxBatchBytes - RecordBatchHeader.Size)
            {
                throw new InvalidOperationException($"a metadata commit of {records.Count} records ({size} bytes) exceeds {MetadataLog.MaxBatchBytes} bytes");
            }

            var next = delta.Apply();
            append = Driver.AppendAsync(values, epoch, baseOffset);
            lastOffset = baseOffset + records.Count - 1;
            _planImage = next;
            _planNextOffset = lastOffset + 1;
        }
        finally
        {
            _commitGate.Release();
        }

        try
        {
            await append.WaitAsync(ct).ConfigureAwait(false);
        }
        catch (NotControllerException)
        {
            DiscardPlan(epoch);
            throw;
        }

        await WaitAppliedAsync(lastOffset + 1, ct).ConfigureAwait(false);
        return Current;
    }

    /// <summary>
    /// The uncommitted image of <paramref name="epoch"/> cannot be trusted after a failed append. A
    /// compare-and-swap rather than the gate: this may run after the store was disposed, and a plan
    /// racing with it is caught by the driver's base-offset check.
    /// </summary>
    private void DiscardPlan(int epoch) => Interlocked.CompareExchange(ref _planEpoch, -1, epoch);

    private Task WaitAppliedAsync(long end, CancellationToken ct)
    {
        TaskCompletionSource completion;
        lock (_waitersLock)
        {
            if (Current.Offset + 1 >= end)
            {
                return Task.CompletedTask;
            }

            completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _appliedWaiters.Add((end, completion));
        }

        return ct.CanBeCanceled ? completion.Task.WaitAsync(ct) : completion.Task;
    }

    // ---- IRaftStateMachine: called on the driver's loop; the work is queued for the apply thread ----

    void IRaftStateMachine.LoadSnapshot(RaftSnapshotId id, ReadOnlyMemory<byte> state) =>
        _applyQueue.Writer.TryWrite(() => ApplySnapshot(id, state));

    void IRaftStateMachine.ApplyCommitted(ReadOnlyMemory<byte> batches, long endOffset) =>
        _applyQueue.Writer.TryWrite(() => ApplyBatches(batches, endOffset));

    void IRaftStateMachine.StatusChanged(RaftStatus status) =>
        _applyQueue.Writer.TryWrite(() => ApplyStatus(status));

    private async Task RunApplyLoopAsync()
    {
        var reader = _applyQueue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var work))
            {
                try
                {
                    work();
                }
#pragma warning disable CA1031 // the apply thread must survive; the failure is reported
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    LogApplyFailed(ex);
                }
            }
        }
    }

    private void ApplySnapshot(RaftSnapshotId id, ReadOnlyMemory<byte> state)
    {
        var image = MetadataSnapshot.Read(state, _clusterId, id.EndOffset);
        _bytesSinceSnapshot = 0;
        LogSnapshotLoaded(id.EndOffset, image.Topics.Count, image.Brokers.Count);
        Publish(WithController(image));
    }

    private void ApplyBatches(ReadOnlyMemory<byte> batches, long endOffset)
    {
        var delta = new MetadataDelta(Current);
        MetadataLog.VisitBatches(batches, 0, (offset, record) =>
        {
            try
            {
                delta.Replay(record, offset);
            }
            catch (MetadataReplayException ex)
            {
                // Committed records were validated by the leader; one that does not apply here means a
                // bug, and skipping it is the only way to keep following the log.
                LogCommittedRecordRejected(ex, offset);
            }
        });

        Publish(WithController(delta.Apply() with { Offset = endOffset - 1 }));
        _bytesSinceSnapshot += batches.Length;
        MaybeSnapshot();
    }

    private void ApplyStatus(RaftStatus status)
    {
        _status = status;
        var current = Current;
        if (status.LeaderId >= 0 && status.LeaderId != current.ControllerId)
        {
            Publish(current with { ControllerId = status.LeaderId });
        }
        else
        {
            UpdateLeadership();
        }
    }

    private MetadataImage WithController(MetadataImage image)
    {
        var leader = _status?.LeaderId ?? -1;
        return leader >= 0 ? image with { ControllerId = leader } : image with { ControllerId = Current.ControllerId };
    }

    /// <summary>Publishes <paramref name="next"/>, wakes commits it covers and re-evaluates leadership.</summary>
    private void Publish(MetadataImage next)
    {
        var previous = Current;
        Volatile.Write(ref _current, next);
        var handlers = Changed;
        if (handlers is not null)
        {
            foreach (var handler in handlers.GetInvocationList().Cast<Action<MetadataImage, MetadataImage>>())
            {
                try
                {
                    handler(previous, next);
                }
#pragma warning disable CA1031 // the change is committed already; report and carry on
                catch (Exception e)
#pragma warning restore CA1031
                {
                    LogSubscriberFailed(e, next.Offset);
                }
            }
        }

        lock (_waitersLock)
        {
            for (var i = _appliedWaiters.Count - 1; i >= 0; i--)
            {
                if (_appliedWaiters[i].End <= next.Offset + 1)
                {
                    _appliedWaiters[i].Completion.TrySetResult();
                    _appliedWaiters.RemoveAt(i);
                }
            }
        }

        UpdateLeadership();
    }

    /// <summary>Active controller = leader whose LeaderChange record is applied here, so its image covers every earlier epoch.</summary>
    private void UpdateLeadership()
    {
        if (_status is not { } status)
        {
            return;
        }

        var active = status.Role == RaftRole.Leader && status.EpochStartOffset >= 0 && Current.Offset >= status.EpochStartOffset;
        var next = new Leadership(status.Role == RaftRole.Resigned ? -1 : status.LeaderId, status.Epoch, active);
        if (next == Volatile.Read(ref _leadership))
        {
            return;
        }

        Volatile.Write(ref _leadership, next);
        LogLeadership(next.LeaderId, next.Epoch, next.IsActive);
        try
        {
            LeadershipChanged?.Invoke();
        }
#pragma warning disable CA1031 // a listener's failure must not stop the apply thread
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogSubscriberFailed(e, Current.Offset);
        }
    }

    private void MaybeSnapshot()
    {
        if (_snapshotInFlight || _bytesSinceSnapshot < _snapshotIntervalBytes)
        {
            return;
        }

        var image = Current;
        var state = MetadataSnapshot.Write(image, _time.GetUtcNow().ToUnixTimeMilliseconds());
        _snapshotInFlight = true;
        _bytesSinceSnapshot = 0;
        _ = Driver.CreateSnapshotAsync(image.Offset + 1, state).ContinueWith(
            _ => _applyQueue.Writer.TryWrite(() => _snapshotInFlight = false),
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Who leads and whether this node may commit, as one value so readers see a consistent triple.</summary>
    private sealed record Leadership(int LeaderId, int Epoch, bool IsActive);

    [LoggerMessage(Level = LogLevel.Information, Message = "Metadata quorum: leader {LeaderId}, epoch {Epoch}, active controller here: {Active}")]
    private partial void LogLeadership(int leaderId, int epoch, bool active);

    [LoggerMessage(Level = LogLevel.Information, Message = "Metadata snapshot ending at offset {EndOffset} loaded: {Topics} topics, {Brokers} brokers")]
    private partial void LogSnapshotLoaded(long endOffset, int topics, int brokers);

    [LoggerMessage(Level = LogLevel.Error, Message = "Applying committed metadata failed")]
    private partial void LogApplyFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "The committed metadata record at offset {Offset} does not apply; skipped")]
    private partial void LogCommittedRecordRejected(Exception exception, long offset);

    [LoggerMessage(Level = LogLevel.Error, Message = "A metadata change listener failed on the image at offset {Offset}")]
    private partial void LogSubscriberFailed(Exception exception, long offset);
}
