using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Broker.Config;
using Tributary.Broker.Producers;
using Tributary.Broker.Topics;
using Tributary.Protocol;
using Tributary.Protocol.Messages;
using Tributary.Protocol.Metadata;

namespace Tributary.Broker.Metadata.Controller;

/// <summary>
/// This node's controller, as Kafka's QuorumController: operations run one at a time; each plans records
/// with the pure planners (<see cref="TopicCreation"/>, <see cref="TopicDeletion"/>, <see cref="PartitionCreation"/>,
/// <see cref="ConfigChanges"/>, <see cref="BrokerRegistrations"/>, <see cref="BrokerHeartbeats"/>,
/// <see cref="AlterPartitions"/>, <see cref="LeaderElections"/>, <see cref="Reassignments"/>, <see cref="AclChanges"/>) against the
/// current image and commits them through <see cref="IMetadataCommitter"/>.
/// <para>Single-node mode (no <see cref="IQuorumView"/> given): always active; <see cref="StartAsync"/>
/// bootstraps metadata.version, registers this broker unfenced and creates <c>__consumer_offsets</c>.</para>
/// <para>Cluster mode (an <see cref="IQuorumView"/> given): it acts only while this node is the active
/// controller. Each activation starts from scratch (heartbeat sessions, timers), writes metadata.version
/// if missing, and fences brokers whose session expires. A commit that fails with
/// <see cref="NotControllerException"/> is answered NOT_CONTROLLER.</para>
/// </summary>
public sealed partial class QuorumController : IClusterController, IActiveController, IDisposable
{
    /// <summary>metadata.version feature level written at bootstrap (Kafka 3.9-IV0).</summary>
    public const short MetadataVersionLevel = 21;

    private readonly BrokerConfig _config;
    private readonly IMetadataCommitter _store;
    private readonly TopicConfigResolver _resolver;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Random _random;
    private readonly Func<Guid> _newId;
    private readonly IQuorumView? _quorum;
    private readonly TimeProvider _time;
    private readonly long _origin;
    private readonly BrokerSessions _sessions;
    private readonly Lock _activationLock = new();
    private ITimer? _sessionTimer;
    private ITimer? _rebalanceTimer;
    private bool _activated;
    private int _sessionCheckRunning;
    private int _rebalanceRunning;
    private int _disposed;

    /// <param name="config">Broker configuration (session timeout, rebalance settings, internal topic defaults).</param>
    /// <param name="store">Where records are committed.</param>
    /// <param name="resolver">Topic config resolution (unclean.leader.election.enable and friends).</param>
    /// <param name="logger">Logger.</param>
    /// <param name="random">Placement randomness.</param>
    /// <param name="newTopicId">Topic id source.</param>
    /// <param name="quorum">The metadata quorum in cluster mode; null for single-node mode.</param>
    /// <param name="time">Clock and timers (sessions, rebalancing).</param>
    public QuorumController(BrokerConfig config, IMetadataCommitter store, TopicConfigResolver resolver,
        ILogger<QuorumController>? logger = null, Random? random = null, Func<Guid>? newTopicId = null,
        IQuorumView? quorum = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(resolver);
        _config = config;
        _store = store;
        _resolver = resolver;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _random = random ?? Random.Shared;
        _newId = newTopicId ?? Guid.NewGuid;
        _quorum = quorum;
        _time = time ?? TimeProvider.System;
        _origin = _time.GetTimestamp();
        _sessions = new BrokerSessions(config.BrokerSessionTimeoutMs);
    }

    /// <summary>Whether this node may act as the controller now (always in single-node mode).</summary>
    public bool IsActive => _quorum is null || _quorum.IsActiveController;

    /// <summary>The in-memory heartbeat sessions of the current activation.</summary>
    public BrokerSessions Sessions => _sessions;

    /// <summary>
    /// Bootstraps on every start: writes metadata.version on a fresh log, registers this broker
    /// (new incarnation and epoch, its advertised endpoints and rack, unfenced) and creates
    /// <c>__consumer_offsets</c> when missing.
    /// </summary>
    public async Task StartAsync(CancellationToken ct)
    {
        if (_quorum is not null)
        {
            _quorum.LeadershipChanged += OnLeadershipChanged;
            await UpdateActivationAsync(ct).ConfigureAwait(false);
            return;
        }

        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var image = _store.Current;
            var records = new List<IMetadataRecord>();
            if (!image.Features.ContainsKey("metadata.version"))
            {
                records.Add(new FeatureLevelRecord { Name = "metadata.version", FeatureLevel = MetadataVersionLevel });
            }

            // Kafka's broker epoch is the offset of the registration record.
            records.Add(Registration(image.Offset + 1 + records.Count));
            await _store.CommitAsync(records, ct).ConfigureAwait(false);
            LogRegistered(_config.NodeId, _store.Current.Brokers[_config.NodeId].Epoch);
        }
        finally
        {
            _gate.Release();
        }

        var offsets = await EnsureInternalTopicAsync(TopicNames.ConsumerOffsets, _config.OffsetsTopicNumPartitions, _config.OffsetsTopicReplicationFactor,
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [TopicConfigDefinitions.CleanupPolicy] = "compact",
                [TopicConfigDefinitions.SegmentBytes] = _config.OffsetsTopicSegmentBytes.ToString(CultureInfo.InvariantCulture),
                [TopicConfigDefinitions.CompressionType] = "producer",
            }, ct).ConfigureAwait(false);
        if (offsets != ErrorCode.None)
        {
            throw new InvalidOperationException($"could not create {TopicNames.ConsumerOffsets}: {offsets}");
        }
    }

    public ValueTask<CreateTopicsResponse> CreateTopicsAsync(CreateTopicsRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RunAsync(image => TopicCreation.Plan(image, request, _config, _resolver, _newId, _random),
            (response, error) =>
            {
                foreach (var topic in response.Topics.Where(t => t.ErrorCode == 0))
                {
                    topic.ErrorCode = (short)error;
                    topic.ErrorMessage = "The metadata change could not be committed.";
                }
            }, ct);
    }

    public ValueTask<List<DeleteTopicsResponse.DeletableTopicResult>> DeleteTopicsAsync(IReadOnlyList<DeleteTopicsRequest.DeleteTopicState> topics, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(topics);
        return RunAsync(image => TopicDeletion.Plan(image, topics, _config),
            (results, error) =>
            {
                foreach (var r in results.Where(r => r.ErrorCode == 0))
                {
                    r.ErrorCode = (short)error;
                }
            }, ct);
    }

    public ValueTask<CreatePartitionsResponse> CreatePartitionsAsync(CreatePartitionsRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RunAsync(image => PartitionCreation.Plan(image, request, _random),
            (response, error) =>
            {
                foreach (var r in response.Results.Where(r => r.ErrorCode == 0))
                {
                    r.ErrorCode = (short)error;
                }
            }, ct);
    }

    public ValueTask<List<ConfigChangeResult>> AlterConfigsAsync(AlterConfigsRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RunAsync(image => ConfigChanges.PlanAlter(image, request), FailConfigs, ct);
    }

    public ValueTask<List<ConfigChangeResult>> IncrementalAlterConfigsAsync(IncrementalAlterConfigsRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RunAsync(image => ConfigChanges.PlanIncremental(image, request, _resolver), FailConfigs, ct);
    }

    public ValueTask<CreateAclsResponse> CreateAclsAsync(CreateAclsRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RunAsync(image => AclChanges.PlanCreate(image, request.Creations, _newId),
            (response, error) =>
            {
                foreach (var r in response.Results.Where(r => r.ErrorCode == 0))
                {
                    r.ErrorCode = (short)error;
                    r.ErrorMessage = "The metadata change could not be committed.";
                }
            }, ct);
    }

    public ValueTask<DeleteAclsResponse> DeleteAclsAsync(DeleteAclsRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RunAsync(image => AclChanges.PlanDelete(image, request.Filters),
            (response, error) =>
            {
                foreach (var r in response.FilterResults.Where(r => r.ErrorCode == 0))
                {
                    r.ErrorCode = (short)error;
                    r.ErrorMessage = "The metadata change could not be committed.";
                    r.MatchingAcls.Clear();
                }
            }, ct);
    }

    public async ValueTask<(ErrorCode Error, ProducerIdBlock Block)> AllocateProducerIdsAsync(int brokerId, long brokerEpoch, CancellationToken ct)
    {
        if (!IsActive)
        {
            return (ErrorCode.NotController, default);
        }

        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var image = _store.Current;
            if (!image.Brokers.TryGetValue(brokerId, out var broker))
            {
                return (ErrorCode.BrokerIdNotRegistered, default);
            }

            if (brokerEpoch != -1 && brokerEpoch != broker.Epoch)
            {
                return (ErrorCode.StaleBrokerEpoch, default);
            }

            var block = ProducerIdBlock.StartingAt(image.NextProducerId);
            var error = await TryCommitAsync([new ProducerIdsRecord { BrokerId = brokerId, BrokerEpoch = broker.Epoch, NextProducerId = block.NextBlockFirstId }], ct)
                .ConfigureAwait(false);
            return error == ErrorCode.None ? (ErrorCode.None, block) : (error, default);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask<ErrorCode> EnsureInternalTopicAsync(string name, int partitions, short replicationFactor, IReadOnlyDictionary<string, string> configs, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(configs);
        if (_store.Current.Topic(name) is not null)
        {
            return ErrorCode.None;
        }

        // Kafka's rule for internal topics: RF = min(configured, brokers that can take replicas now).
        var live = ReplicaPlacer.LiveBrokers(_store.Current).Count;
        var request = new CreateTopicsRequest();
        request.Topics.Add(new CreateTopicsRequest.CreatableTopic
        {
            Name = name,
            NumPartitions = partitions,
            ReplicationFactor = (short)Math.Max(1, Math.Min(replicationFactor, live)),
            Configs = [.. configs.Select(kv => new CreateTopicsRequest.CreatableTopicConfig { Name = kv.Key, Value = kv.Value })],
        });
        var response = await CreateTopicsAsync(request, ct).ConfigureAwait(false);
        var error = (ErrorCode)response.Topics[0].ErrorCode;
        if (error == ErrorCode.None)
        {
            LogInternalTopicCreated(name, partitions);
        }

        return error is ErrorCode.TopicAlreadyExists ? ErrorCode.None : error;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_quorum is not null)
        {
            _quorum.LeadershipChanged -= OnLeadershipChanged;
        }

        lock (_activationLock)
        {
            _activated = false;
            StopTimers();
        }

        _gate.Dispose();
    }

    /// <summary>Plans under the gate, commits, and on a failed commit marks the would-be successes with the error.</summary>
    private async ValueTask<T> RunAsync<T>(Func<MetadataImage, ControllerPlan<T>> plan, Action<T, ErrorCode> fail, CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var result = plan(_store.Current);
            if (!IsActive)
            {
                fail(result.Result, ErrorCode.NotController);
            }
            else if (result.Records.Count > 0)
            {
                var error = await TryCommitAsync(result.Records, ct).ConfigureAwait(false);
                if (error != ErrorCode.None)
                {
                    fail(result.Result, error);
                }
            }

            return result.Result;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Commits, mapping failures to the error to answer: NOT_CONTROLLER when this node stopped being the
    /// active controller, UNKNOWN_SERVER_ERROR when the log refused the records.
    /// </summary>
    private async ValueTask<ErrorCode> TryCommitAsync(IReadOnlyList<IMetadataRecord> records, CancellationToken ct)
    {
        if (records.Count == 0)
        {
            return ErrorCode.None;
        }

        try
        {
            await _store.CommitAsync(records, ct).ConfigureAwait(false);
            return ErrorCode.None;
        }
        catch (NotControllerException)
        {
            return ErrorCode.NotController;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or MetadataReplayException or Storage.StorageException)
        {
            LogCommitFailed(e);
            return ErrorCode.UnknownServerError;
        }
    }

    private static void FailConfigs(List<ConfigChangeResult> results, ErrorCode error)
    {
        for (var i = 0; i < results.Count; i++)
        {
            if (results[i].Error == ErrorCode.None)
            {
                results[i] = results[i] with { Error = error, Message = "The metadata change could not be committed." };
            }
        }
    }

    private RegisterBrokerRecord Registration(long epoch)
    {
        var record = new RegisterBrokerRecord
        {
            BrokerId = _config.NodeId,
            IncarnationId = Guid.NewGuid(),
            BrokerEpoch = epoch,
            Rack = _config.Rack,
            Fenced = false,
        };
        foreach (var endpoint in _config.AdvertisedListeners.Where(l => !_config.ControllerListenerNames.Contains(l.Name, StringComparer.Ordinal)))
        {
            record.EndPoints.Add(new RegisterBrokerRecord.BrokerEndpoint
            {
                Name = endpoint.Name,
                Host = endpoint.Host,
                Port = (ushort)endpoint.Port,
                SecurityProtocol = (short)_config.ListenerSecurityProtocols.GetValueOrDefault(endpoint.Name, SecurityProtocol.Plaintext),
            });
        }

        record.Features.Add(new RegisterBrokerRecord.BrokerFeature { Name = "metadata.version", MinSupportedVersion = 1, MaxSupportedVersion = MetadataVersionLevel });
        return record;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Registered broker {NodeId} with epoch {Epoch}")]
    private partial void LogRegistered(int nodeId, long epoch);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created internal topic {Topic} with {Partitions} partitions")]
    private partial void LogInternalTopicCreated(string topic, int partitions);

    [LoggerMessage(Level = LogLevel.Error, Message = "A metadata commit failed")]
    private partial void LogCommitFailed(Exception exception);
}
