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
/// The controller of a single-node cluster: operations run one at a time; each plans records with
/// the pure planners (<see cref="TopicCreation"/>, <see cref="TopicDeletion"/>, <see cref="PartitionCreation"/>,
/// <see cref="ConfigChanges"/>) against the current image and commits them through
/// <see cref="IMetadataCommitter"/>. <see cref="StartAsync"/> bootstraps the cluster: metadata.version,
/// this broker's registration and <c>__consumer_offsets</c>.
/// </summary>
public sealed partial class LocalClusterController : IClusterController, IDisposable
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

    public LocalClusterController(BrokerConfig config, IMetadataCommitter store, TopicConfigResolver resolver,
        ILogger<LocalClusterController>? logger = null, Random? random = null, Func<Guid>? newTopicId = null)
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
    }

    /// <summary>
    /// Bootstraps on every start: writes metadata.version on a fresh log, registers this broker
    /// (new incarnation and epoch, its advertised endpoints and rack, unfenced) and creates
    /// <c>__consumer_offsets</c> when missing.
    /// </summary>
    public async Task StartAsync(CancellationToken ct)
    {
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

    public async ValueTask<(ErrorCode Error, ProducerIdBlock Block)> AllocateProducerIdsAsync(int brokerId, long brokerEpoch, CancellationToken ct)
    {
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
            await _store.CommitAsync([new ProducerIdsRecord { BrokerId = brokerId, BrokerEpoch = broker.Epoch, NextProducerId = block.NextBlockFirstId }], ct)
                .ConfigureAwait(false);
            return (ErrorCode.None, block);
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

        var live = _store.Current.LiveBrokers.Count();
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

    public void Dispose() => _gate.Dispose();

    /// <summary>Plans under the gate, commits, and on a failed commit marks the would-be successes with the error.</summary>
    private async ValueTask<T> RunAsync<T>(Func<MetadataImage, ControllerPlan<T>> plan, Action<T, ErrorCode> fail, CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var result = plan(_store.Current);
            if (result.Records.Count > 0)
            {
                try
                {
                    await _store.CommitAsync(result.Records, ct).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or MetadataReplayException or Storage.StorageException)
                {
                    LogCommitFailed(e);
                    fail(result.Result, ErrorCode.UnknownServerError);
                }
            }

            return result.Result;
        }
        finally
        {
            _gate.Release();
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
