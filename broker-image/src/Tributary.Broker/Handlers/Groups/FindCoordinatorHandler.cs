using System.Net;
using Tributary.Broker.Coordination;
using Tributary.Broker.Groups;
using Tributary.Broker.Metadata;
using Tributary.Broker.Network;
using Tributary.Broker.Requests;
using Tributary.Broker.Security;
using Tributary.Protocol;
using Tributary.Protocol.Acls;
using Tributary.Protocol.Messages;

namespace Tributary.Broker.Handlers.Groups;

/// <summary>
/// FindCoordinator v0-5: for a group, the leader of its <c>__consumer_offsets</c> partition, as
/// reachable on the listener the request came in on. v4+ batches keys.
/// </summary>
/// <remarks>
/// Transaction coordinators (key type 1) do not exist yet: those keys get COORDINATOR_NOT_AVAILABLE,
/// which clients treat as retriable. A missing offsets topic is created through the optional
/// delegate (Kafka auto-creates it on the first FindCoordinator); until it has a live leader the
/// answer is COORDINATOR_NOT_AVAILABLE.
/// </remarks>
public sealed class FindCoordinatorHandler : RequestHandler<FindCoordinatorRequest, FindCoordinatorResponse>
{
    private const sbyte GroupKeyType = 0;
    private const sbyte TransactionKeyType = 1;

    private readonly IMetadataView _metadata;
    private readonly Func<BrokerImage, string, EndPoint?, (string Host, int Port)?> _resolveEndpoint;
    private readonly Func<string, CancellationToken, ValueTask>? _createInternalTopic;
    private readonly RequestAuthorizer _authorizer;

    /// <param name="metadata">Cluster metadata: the offsets topic's leaders and the live brokers.</param>
    /// <param name="resolveEndpoint">
    /// (broker, listener name, local end of the requesting connection) to the host/port clients
    /// should use, or null when that broker has no such listener; for this broker an empty advertised
    /// host or port 0 is filled from the bound socket (<c>AdvertisedEndpoints.Resolve</c> does this).
    /// </param>
    /// <param name="createInternalTopic">Creates an internal topic by name (e.g. <c>__consumer_offsets</c>); null to never create.</param>
    /// <param name="authorizer">ACL checks (null: none): DESCRIBE on the group or transactional id.</param>
    public FindCoordinatorHandler(
        IMetadataView metadata,
        Func<BrokerImage, string, EndPoint?, (string Host, int Port)?> resolveEndpoint,
        Func<string, CancellationToken, ValueTask>? createInternalTopic = null,
        RequestAuthorizer? authorizer = null)
        : base(ApiKey.FindCoordinator, 0, 5)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(resolveEndpoint);
        _metadata = metadata;
        _resolveEndpoint = resolveEndpoint;
        _createInternalTopic = createInternalTopic;
        _authorizer = authorizer ?? RequestAuthorizer.Disabled;
    }

    protected override async ValueTask<FindCoordinatorResponse?> HandleAsync(RequestContext context, RequestHeader header, FindCoordinatorRequest request, CancellationToken ct)
    {
        var version = header.RequestApiVersion;
        var keyType = version >= 1 ? request.KeyType : GroupKeyType;
        var response = new FindCoordinatorResponse();
        if (version < 4)
        {
            var found = await LookupAsync(context, keyType, request.Key, ct).ConfigureAwait(false);
            response.ErrorCode = (short)found.Error;
            response.ErrorMessage = found.Message;
            response.NodeId = found.NodeId;
            response.Host = found.Host;
            response.Port = found.Port;
            return response;
        }

        foreach (var key in request.CoordinatorKeys)
        {
            var found = await LookupAsync(context, keyType, key, ct).ConfigureAwait(false);
            response.Coordinators.Add(new FindCoordinatorResponse.Coordinator
            {
                Key = key,
                ErrorCode = (short)found.Error,
                ErrorMessage = found.Message,
                NodeId = found.NodeId,
                Host = found.Host,
                Port = found.Port,
            });
        }

        return response;
    }

    private async ValueTask<Lookup> LookupAsync(RequestContext context, sbyte keyType, string key, CancellationToken ct)
    {
        if (keyType == TransactionKeyType && !_authorizer.Authorize(context, AclOperation.Describe, AclResourceType.TransactionalId, key))
        {
            return Lookup.Failed(ErrorCode.TransactionalIdAuthorizationFailed, "Transactional Id authorization failed.");
        }

        if (keyType == GroupKeyType && !_authorizer.AuthorizeGroup(context, AclOperation.Describe, key))
        {
            return Lookup.Failed(ErrorCode.GroupAuthorizationFailed, "Group authorization failed.");
        }

        if (keyType == TransactionKeyType)
        {
            return Lookup.Failed(ErrorCode.CoordinatorNotAvailable, "this broker has no transaction coordinator");
        }

        if (keyType != GroupKeyType)
        {
            return Lookup.Failed(ErrorCode.InvalidRequest, $"unknown coordinator key type {keyType}");
        }

        var topic = _metadata.Current.Topic(GroupCoordinatorService.OffsetsTopic);
        if (topic is null && _createInternalTopic is not null)
        {
            await _createInternalTopic(GroupCoordinatorService.OffsetsTopic, ct).ConfigureAwait(false);
            topic = _metadata.Current.Topic(GroupCoordinatorService.OffsetsTopic);
        }

        if (topic is null || topic.Partitions.Count == 0)
        {
            return Lookup.Failed(ErrorCode.CoordinatorNotAvailable, "the offsets topic does not exist yet");
        }

        // The topic's real partition count places groups, exactly as the coordinator service does.
        var partition = GroupPartitioner.PartitionFor(key, topic.Partitions.Count);
        var leader = topic.Partitions.GetValueOrDefault(partition)?.Leader ?? PartitionImage.NoLeader;
        if (leader == PartitionImage.NoLeader
            || !_metadata.Current.Brokers.TryGetValue(leader, out var broker)
            || broker.Fenced
            || _resolveEndpoint(broker, context.ListenerName, context.Connection.LocalEndPoint) is not { } endpoint)
        {
            return Lookup.Failed(ErrorCode.CoordinatorNotAvailable, "the coordinator's partition has no live leader");
        }

        return new Lookup(ErrorCode.None, null, leader, endpoint.Host, endpoint.Port);
    }

    private readonly record struct Lookup(ErrorCode Error, string? Message, int NodeId, string Host, int Port)
    {
        /// <summary>Kafka's <c>Node.noNode()</c>: id -1, empty host, port -1.</summary>
        public static Lookup Failed(ErrorCode error, string message) => new(error, message, -1, string.Empty, -1);
    }
}
