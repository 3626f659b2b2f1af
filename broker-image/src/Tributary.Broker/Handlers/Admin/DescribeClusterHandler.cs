using Tributary.Broker.Metadata;
using Tributary.Broker.Network;
using Tributary.Broker.Requests;
using Tributary.Broker.Security;
using Tributary.Protocol;
using Tributary.Protocol.Acls;
using Tributary.Protocol.Messages;

namespace Tributary.Broker.Handlers.Admin;

/// <summary>
/// DescribeCluster v0-1: cluster id, controller id and the live brokers on the request's listener.
/// Brokers do not describe controllers (endpoint type 2: UNSUPPORTED_ENDPOINT_TYPE), as in Kafka.
/// </summary>
public sealed class DescribeClusterHandler : RequestHandler<DescribeClusterRequest, DescribeClusterResponse>
{
    private const sbyte BrokerEndpoints = 1;
    private const sbyte ControllerEndpoints = 2;

    private readonly IMetadataView _metadata;
    private readonly AdvertisedEndpoints _endpoints;
    private readonly RequestAuthorizer _authorizer;

    public DescribeClusterHandler(IMetadataView metadata, AdvertisedEndpoints endpoints, RequestAuthorizer? authorizer = null)
        : base(ApiKey.DescribeCluster, 0, 1)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(endpoints);
        _metadata = metadata;
        _endpoints = endpoints;
        _authorizer = authorizer ?? RequestAuthorizer.Disabled;
    }

    protected override ValueTask<DescribeClusterResponse?> HandleAsync(RequestContext context, RequestHeader header, DescribeClusterRequest request, CancellationToken ct)
    {
        var image = _metadata.Current;
        var response = new DescribeClusterResponse { EndpointType = request.EndpointType, ClusterId = image.ClusterId };
        if (header.RequestApiVersion >= 1 && request.EndpointType != BrokerEndpoints)
        {
            response.ErrorCode = (short)(request.EndpointType == ControllerEndpoints ? ErrorCode.UnsupportedEndpointType : ErrorCode.InvalidRequest);
            response.ErrorMessage = request.EndpointType == ControllerEndpoints
                ? "The broker does not describe controllers; ask a controller listener."
                : $"Unknown endpoint type {request.EndpointType}.";
            return ValueTask.FromResult<DescribeClusterResponse?>(response);
        }

        response.ControllerId = ClusterView.ControllerIdForClients(image);
        if (request.IncludeClusterAuthorizedOperations)
        {
            // Kafka answers DescribeCluster to anyone; the operations need DESCRIBE on the cluster to be shown.
            response.ClusterAuthorizedOperations = _authorizer.AuthorizeCluster(context, AclOperation.Describe)
                ? _authorizer.AuthorizedOperations(context, AclResourceType.Cluster, AclNames.ClusterResource)
                : 0;
        }

        foreach (var broker in image.LiveBrokers)
        {
            if (_endpoints.Resolve(broker, context.ListenerName, context.Connection.LocalEndPoint) is { } endpoint)
            {
                response.Brokers.Add(new DescribeClusterResponse.DescribeClusterBroker { BrokerId = broker.Id, Host = endpoint.Host, Port = endpoint.Port, Rack = broker.Rack });
            }
        }

        return ValueTask.FromResult<DescribeClusterResponse?>(response);
    }
}
