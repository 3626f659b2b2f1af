using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Broker.Metadata;
using Tributary.Broker.Metadata.Controller;
using Tributary.Broker.Producers;
using Tributary.Protocol;
using Tributary.Protocol.Messages;

namespace Tributary.Broker.Cluster;

/// <summary>
/// The <see cref="IClusterController"/> of a node that is not the active controller: every operation
/// is sent to the active controller over <see cref="IControllerChannel"/> and its answer mapped back.
/// When no controller answers in time, each item fails with REQUEST_TIMED_OUT (retriable: clients
/// try again). Completion means the controller committed the change; this node's own image catches
/// up when it replays the record.
/// </summary>
public sealed partial class ForwardingClusterController : IClusterController
{
    private const string TimedOutMessage = "The active controller did not answer in time.";

    private readonly IControllerChannel _channel;
    private readonly IMetadataView _metadata;
    private readonly TimeSpan _timeout;
    private readonly ILogger _logger;

    /// <param name="timeout">How long one forwarded operation may take, retries to find the controller included.</param>
    public ForwardingClusterController(IControllerChannel channel, IMetadataView metadata, TimeSpan? timeout = null,
        ILogger<ForwardingClusterController>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(metadata);
        _channel = channel;
        _metadata = metadata;
        _timeout = timeout ?? TimeSpan.FromSeconds(25);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    public async ValueTask<CreateTopicsResponse> CreateTopicsAsync(CreateTopicsRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await ForwardAsync<CreateTopicsResponse>(request, ct).ConfigureAwait(false) is { } response)
        {
            return response;
        }

        return new CreateTopicsResponse
        {
            Topics = [.. request.Topics.Select(t => new CreateTopicsResponse.CreatableTopicResult
            {
                Name = t.Name,
                ErrorCode = (short)ErrorCode.RequestTimedOut,
                ErrorMessage = TimedOutMessage,
            })],
        };
    }

    public async ValueTask<List<DeleteTopicsResponse.DeletableTopicResult>> DeleteTopicsAsync(IReadOnlyList<DeleteTopicsRequest.DeleteTopicState> topics, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(topics);
        var request = new DeleteTopicsRequest
        {
            Topics = [.. topics],
            TimeoutMs = (int)_timeout.TotalMilliseconds,
        };

        // Below v6 only names travel; the channel picks v6 from any Tributary controller.
        if (topics.All(t => t.Name is not null))
        {
            request.TopicNames = [.. topics.Select(t => t.Name!)];
        }

        if (await ForwardAsync<DeleteTopicsResponse>(request, ct).ConfigureAwait(false) is { } response)
        {
            return response.Responses;
        }

        return [.. topics.Select(t => new DeleteTopicsResponse.DeletableTopicResult
        {
            Name = t.Name,
            TopicId = t.TopicId,
            ErrorCode = (short)ErrorCode.RequestTimedOut,
            ErrorMessage = TimedOutMessage,
        })];
    }

    public async ValueTask<CreatePartitionsResponse> CreatePartitionsAsync(CreatePartitionsRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await ForwardAsync<CreatePartitionsResponse>(request, ct).ConfigureAwait(false) is { } response)
        {
            return response;
        }

        return new CreatePartitionsResponse
        {
            Results = [.. request.Topics.Select(t => new CreatePartitionsResponse.CreatePartitionsTopicResult
            {
                Name = t.Name,
                ErrorCode = (short)ErrorCode.RequestTimedOut,
                ErrorMessage = TimedOutMessage,
            })],
        };
    }

    public async ValueTask<List<ConfigChangeResult>> AlterConfigsAsync(AlterConfigsRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await ForwardAsync<AlterConfigsResponse>(request, ct).ConfigureAwait(false) is { } response)
        {
            return [.. response.Responses.Select(r => new ConfigChangeResult(r.ResourceType, r.ResourceName, (ErrorCode)r.ErrorCode, r.ErrorMessage))];
        }

        return [.. request.Resources.Select(r => new ConfigChangeResult(r.ResourceType, r.ResourceName, ErrorCode.RequestTimedOut, TimedOutMessage))];
    }

    public async ValueTask<List<ConfigChangeResult>> IncrementalAlterConfigsAsync(IncrementalAlterConfigsRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await ForwardAsync<IncrementalAlterConfigsResponse>(request, ct).ConfigureAwait(false) is { } response)
        {
            return [.. response.Responses.Select(r => new ConfigChangeResult(r.ResourceType, r.ResourceName, (ErrorCode)r.ErrorCode, r.ErrorMessage))];
        }

        return [.. request.Resources.Select(r => new ConfigChangeResult(r.ResourceType, r.ResourceName, ErrorCode.RequestTimedOut, TimedOutMessage))];
    }

    public async ValueTask<CreateAclsResponse> CreateAclsAsync(CreateAclsRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await ForwardAsync<CreateAclsResponse>(request, ct).ConfigureAwait(false) is { } response)
        {
            return response;
        }

        return new CreateAclsResponse
        {
            Results = [.. request.Creations.Select(_ => new CreateAclsResponse.AclCreationResult
            {
                ErrorCode = (short)ErrorCode.RequestTimedOut,
                ErrorMessage = TimedOutMessage,
            })],
        };
    }

    public async ValueTask<DeleteAclsResponse> DeleteAclsAsync(DeleteAclsRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await ForwardAsync<DeleteAclsResponse>(request, ct).ConfigureAwait(false) is { } response)
        {
            return response;
        }

        return new DeleteAclsResponse
        {
            FilterResults = [.. request.Filters.Select(_ => new DeleteAclsResponse.DeleteAclsFilterResult
            {
                ErrorCode = (short)ErrorCode.RequestTimedOut,
                ErrorMessage = TimedOutMessage,
            })],
        };
    }

    public async ValueTask<(ErrorCode Error, ProducerIdBlock Block)> AllocateProducerIdsAsync(int brokerId, long brokerEpoch, CancellationToken ct)
    {
        var request = new AllocateProducerIdsRequest { BrokerId = brokerId, BrokerEpoch = brokerEpoch };
        if (await ForwardAsync<AllocateProducerIdsResponse>(request, ct).ConfigureAwait(false) is not { } response)
        {
            return (ErrorCode.RequestTimedOut, default);
        }

        var error = (ErrorCode)response.ErrorCode;
        if (error != ErrorCode.None)
        {
            return (error, default);
        }

        if (response.ProducerIdStart < 0 || response.ProducerIdLen <= 0)
        {
            // A success without a usable block would hand out ids nobody reserved.
            return (ErrorCode.UnknownServerError, default);
        }

        return (ErrorCode.None, new ProducerIdBlock(response.ProducerIdStart, response.ProducerIdLen));
    }

    public async ValueTask<ErrorCode> EnsureInternalTopicAsync(string name, int partitions, short replicationFactor, IReadOnlyDictionary<string, string> configs, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(configs);
        var image = _metadata.Current;
        if (image.Topic(name) is not null)
        {
            return ErrorCode.None;
        }

        // As the local controller does: never ask for more replicas than there are live brokers.
        var live = image.LiveBrokers.Count();
        var request = new CreateTopicsRequest
        {
            timeoutMs = (int)_timeout.TotalMilliseconds,
            Topics =
            [
                new CreateTopicsRequest.CreatableTopic
                {
                    Name = name,
                    NumPartitions = partitions,
                    ReplicationFactor = (short)Math.Max(1, Math.Min(replicationFactor, live)),
                    Configs = [.. configs.Select(kv => new CreateTopicsRequest.CreatableTopicConfig { Name = kv.Key, Value = kv.Value })],
                },
            ],
        };
        var response = await CreateTopicsAsync(request, ct).ConfigureAwait(false);
        var result = response.Topics.FirstOrDefault(t => t.Name == name);
        var error = result is null ? ErrorCode.UnknownServerError : (ErrorCode)result.ErrorCode;
        return error is ErrorCode.TopicAlreadyExists ? ErrorCode.None : error;
    }

    /// <summary>The controller's response, or null when none answered within the timeout.</summary>
    private async Task<T?> ForwardAsync<T>(IApiRequest request, CancellationToken ct)
        where T : class, IApiResponse
    {
        try
        {
            var response = await _channel.SendAsync(request, _timeout, ct).ConfigureAwait(false);
            return response as T ?? throw new InvalidOperationException($"the controller answered {request.ApiKey} with a {response.GetType().Name}");
        }
        catch (TimeoutException e)
        {
            LogForwardTimedOut(request.ApiKey, e.Message);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Forwarding {Api} to the controller failed: {Reason}")]
    private partial void LogForwardTimedOut(ApiKey api, string reason);
}
