using Tributary.Broker.Config;
using Tributary.Broker.Metadata;
using Tributary.Broker.Metadata.Controller;
using Tributary.Broker.Network;
using Tributary.Broker.Requests;
using Tributary.Broker.Security;
using Tributary.Broker.Topics;
using Tributary.Protocol;
using Tributary.Protocol.Acls;
using Tributary.Protocol.Messages;

namespace Tributary.Broker.Handlers.Admin;

/// <summary>
/// Metadata v0-12: live brokers with their endpoint on the request's listener, cluster and
/// controller id, and the requested topics (all when the list is null, or empty in v0) with their
/// partitions, leaders, epochs, replicas, ISR and offline replicas. Missing topics are created
/// when <c>auto.create.topics.enable</c> and the request allow it; creation is synchronous here,
/// so the new topic is returned ready (no LEADER_NOT_AVAILABLE round trip). v12 looks topics up by id.
/// </summary>
public sealed class MetadataHandler : RequestHandler<MetadataRequest, MetadataResponse>
{
    private readonly IMetadataView _metadata;
    private readonly IClusterController _controller;
    private readonly BrokerConfig _config;
    private readonly AdvertisedEndpoints _endpoints;
    private readonly RequestAuthorizer _authorizer;

    public MetadataHandler(IMetadataView metadata, IClusterController controller, BrokerConfig config, AdvertisedEndpoints endpoints, RequestAuthorizer? authorizer = null)
        : base(ApiKey.Metadata, 0, 12)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(controller);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(endpoints);
        _metadata = metadata;
        _controller = controller;
        _config = config;
        _endpoints = endpoints;
        _authorizer = authorizer ?? RequestAuthorizer.Disabled;
    }

    protected override async ValueTask<MetadataResponse?> HandleAsync(RequestContext context, RequestHeader header, MetadataRequest request, CancellationToken ct)
    {
        var version = header.RequestApiVersion;
        var image = _metadata.Current;
        var topics = new List<MetadataResponse.MetadataResponseTopic>();
        if (request.Topics is null || (version == 0 && request.Topics.Count == 0))
        {
            // Kafka leaves topics the client may not DESCRIBE out of an all-topics answer.
            topics.AddRange(image.Topics.Values.Where(t => _authorizer.AuthorizeTopic(context, AclOperation.Describe, t.Name)).Select(t => Describe(image, t, context)));
        }
        else
        {
            image = await DescribeRequested(request, version, topics, context, ct).ConfigureAwait(false);
        }

        var response = new MetadataResponse
        {
            ClusterId = image.ClusterId,
            ControllerId = ClusterView.ControllerIdForClients(image),
            Topics = topics,
        };
        if (version >= 8)
        {
            AddAuthorizedOperations(context, request, version, response);
        }

        foreach (var broker in image.LiveBrokers)
        {
            if (_endpoints.Resolve(broker, context.ListenerName, context.Connection.LocalEndPoint) is { } endpoint)
            {
                response.Brokers.Add(new MetadataResponse.MetadataResponseBroker { NodeId = broker.Id, Host = endpoint.Host, Port = endpoint.Port, Rack = broker.Rack });
            }
        }

        return response;
    }

    /// <summary>Fills <paramref name="topics"/> in request order; returns the image after any auto-creation.</summary>
    private async ValueTask<MetadataImage> DescribeRequested(MetadataRequest request, short version, List<MetadataResponse.MetadataResponseTopic> topics,
        RequestContext context, CancellationToken ct)
    {
        var image = _metadata.Current;
        var allowAutoCreate = _config.AutoCreateTopicsEnable && (version < 4 || request.AllowAutoTopicCreation);
        var slots = new List<(MetadataResponse.MetadataResponseTopic? Entry, string? Create)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var seenIds = new HashSet<Guid>();
        bool? clusterCreate = null;
        foreach (var wanted in request.Topics!)
        {
            if (wanted.Name is null || (version >= 10 && wanted.TopicId != Guid.Empty))
            {
                if (seenIds.Add(wanted.TopicId))
                {
                    slots.Add((ById(image, wanted, version, context), null));
                }

                continue;
            }

            if (!seen.Add(wanted.Name))
            {
                continue;
            }

            var topic = image.Topic(wanted.Name);
            if (!_authorizer.AuthorizeTopic(context, AclOperation.Describe, wanted.Name))
            {
                slots.Add((Error(wanted.Name, ErrorCode.TopicAuthorizationFailed), null));
            }
            else if (topic is not null)
            {
                slots.Add((Describe(image, topic, context), null));
            }
            else if (!TopicNames.IsValid(wanted.Name))
            {
                slots.Add((Error(wanted.Name, ErrorCode.InvalidTopicException), null));
            }
            else if (allowAutoCreate && !TopicNames.IsInternal(wanted.Name))
            {
                // Auto-creation needs CREATE on the cluster or on the topic.
                clusterCreate ??= _authorizer.AuthorizeCluster(context, AclOperation.Create);
                slots.Add(clusterCreate.Value || _authorizer.AuthorizeTopic(context, AclOperation.Create, wanted.Name)
                    ? (null, wanted.Name)
                    : (Error(wanted.Name, ErrorCode.TopicAuthorizationFailed), null));
            }
            else
            {
                slots.Add((Error(wanted.Name, ErrorCode.UnknownTopicOrPartition), null));
            }
        }

        var created = await AutoCreate(slots.Where(s => s.Create is not null).Select(s => s.Create!).ToList(), ct).ConfigureAwait(false);
        image = _metadata.Current;
        foreach (var (entry, create) in slots)
        {
            if (entry is not null)
            {
                topics.Add(entry);
                continue;
            }

            var error = created[create!];
            var topic = image.Topic(create!);
            topics.Add(topic is not null && error is ErrorCode.None or ErrorCode.TopicAlreadyExists
                ? Describe(image, topic, context)
                : Error(create!, error is ErrorCode.None or ErrorCode.TopicAlreadyExists ? ErrorCode.LeaderNotAvailable : error));
        }

        return image;
    }

    private async ValueTask<Dictionary<string, ErrorCode>> AutoCreate(List<string> names, CancellationToken ct)
    {
        var result = new Dictionary<string, ErrorCode>(StringComparer.Ordinal);
        if (names.Count == 0)
        {
            return result;
        }

        var request = new CreateTopicsRequest();
        foreach (var name in names)
        {
            request.Topics.Add(new CreateTopicsRequest.CreatableTopic { Name = name, NumPartitions = -1, ReplicationFactor = -1 });
        }

        var response = await _controller.CreateTopicsAsync(request, ct).ConfigureAwait(false);
        foreach (var topic in response.Topics)
        {
            result[topic.Name] = (ErrorCode)topic.ErrorCode;
        }

        return result;
    }

    private MetadataResponse.MetadataResponseTopic ById(MetadataImage image, MetadataRequest.MetadataRequestTopic wanted, short version, RequestContext context)
    {
        // Lookup by id is a v12 feature; a null name before that is a malformed request.
        if (version < 12)
        {
            return new MetadataResponse.MetadataResponseTopic { Name = wanted.Name ?? "", TopicId = wanted.TopicId, ErrorCode = (short)ErrorCode.InvalidRequest };
        }

        var topic = wanted.TopicId == Guid.Empty ? null : image.Topic(wanted.TopicId);
        if (topic is null)
        {
            return new MetadataResponse.MetadataResponseTopic { Name = null, TopicId = wanted.TopicId, ErrorCode = (short)ErrorCode.UnknownTopicId };
        }

        // Looked up by id, an unauthorized topic's name is not revealed.
        return _authorizer.AuthorizeTopic(context, AclOperation.Describe, topic.Name)
            ? Describe(image, topic, context)
            : new MetadataResponse.MetadataResponseTopic { Name = null, TopicId = wanted.TopicId, ErrorCode = (short)ErrorCode.TopicAuthorizationFailed };
    }

    /// <summary>
    /// KIP-430 (v8+): the operations the client may perform on the cluster (v8-10, shown only with
    /// DESCRIBE on the cluster) and on each described topic, as Kafka's bit fields.
    /// </summary>
    private void AddAuthorizedOperations(RequestContext context, MetadataRequest request, short version, MetadataResponse response)
    {
        if (version <= 10 && request.IncludeClusterAuthorizedOperations)
        {
            response.ClusterAuthorizedOperations = _authorizer.AuthorizeCluster(context, AclOperation.Describe)
                ? _authorizer.AuthorizedOperations(context, AclResourceType.Cluster, AclNames.ClusterResource)
                : 0;
        }

        if (request.IncludeTopicAuthorizedOperations)
        {
            foreach (var topic in response.Topics.Where(t => t.ErrorCode == (short)ErrorCode.None && t.Name is not null))
            {
                topic.TopicAuthorizedOperations = _authorizer.AuthorizedOperations(context, AclResourceType.Topic, topic.Name!);
            }
        }
    }

    private static MetadataResponse.MetadataResponseTopic Error(string name, ErrorCode error) =>
        new() { Name = name, ErrorCode = (short)error, IsInternal = TopicNames.IsInternal(name) };

    private MetadataResponse.MetadataResponseTopic Describe(MetadataImage image, TopicImage topic, RequestContext context)
    {
        var entry = new MetadataResponse.MetadataResponseTopic
        {
            Name = topic.Name,
            TopicId = topic.Id,
            IsInternal = TopicNames.IsInternal(topic.Name),
        };
        foreach (var partition in topic.Partitions.Values.OrderBy(p => p.Partition))
        {
            var error = ErrorCode.None;
            var leader = partition.Leader;
            if (!image.IsLive(leader))
            {
                error = ErrorCode.LeaderNotAvailable;
                leader = PartitionImage.NoLeader;
            }
            else if (_endpoints.Resolve(image.Brokers[leader], context.ListenerName, context.Connection.LocalEndPoint) is null)
            {
                // The leader exists but cannot be reached on this listener (Kafka: LISTENER_NOT_FOUND).
                error = ErrorCode.ListenerNotFound;
            }

            entry.Partitions.Add(new MetadataResponse.MetadataResponsePartition
            {
                ErrorCode = (short)error,
                PartitionIndex = partition.Partition,
                LeaderId = leader,
                LeaderEpoch = partition.LeaderEpoch,
                ReplicaNodes = [.. partition.Replicas],
                IsrNodes = [.. partition.Isr],
                OfflineReplicas = [.. partition.Replicas.Where(r => !image.IsLive(r))],
            });
        }

        return entry;
    }
}
