using Tributary.Broker.Metadata.Controller;
using Tributary.Broker.Network;
using Tributary.Broker.Requests;
using Tributary.Broker.Security;
using Tributary.Protocol;
using Tributary.Protocol.Acls;
using Tributary.Protocol.Messages;

namespace Tributary.Broker.Handlers.Admin;

/// <summary>
/// CreateTopics v0-7 through the controller: validateOnly, configs, -1 partitions/replication
/// factor for the broker defaults (v4+), manual assignments; v5+ results carry the partition
/// count, replication factor and every config of the topic, v7+ its id. Creation is committed
/// before the response, so timeoutMs never expires.
/// </summary>
public sealed class CreateTopicsHandler : RequestHandler<CreateTopicsRequest, CreateTopicsResponse>
{
    private readonly IClusterController _controller;
    private readonly RequestAuthorizer _authorizer;

    public CreateTopicsHandler(IClusterController controller, RequestAuthorizer? authorizer = null)
        : base(ApiKey.CreateTopics, 0, 7)
    {
        ArgumentNullException.ThrowIfNull(controller);
        _controller = controller;
        _authorizer = authorizer ?? RequestAuthorizer.Disabled;
    }

    protected override async ValueTask<CreateTopicsResponse?> HandleAsync(RequestContext context, RequestHeader header, CreateTopicsRequest request, CancellationToken ct)
    {
        if (!_authorizer.Enabled)
        {
            return await _controller.CreateTopicsAsync(request, ct).ConfigureAwait(false);
        }

        // Kafka: CREATE on the cluster allows every topic, else CREATE on each topic; the others
        // never reach the controller and are answered TOPIC_AUTHORIZATION_FAILED.
        var cluster = _authorizer.AuthorizeCluster(context, AclOperation.Create);
        var denied = cluster ? [] : request.Topics.Where(t => !_authorizer.AuthorizeTopic(context, AclOperation.Create, t.Name)).ToList();
        request.Topics = [.. request.Topics.Except(denied)];
        var response = await _controller.CreateTopicsAsync(request, ct).ConfigureAwait(false);
        foreach (var result in response.Topics.Where(r => r.ErrorCode == 0 && !_authorizer.AuthorizeTopic(context, AclOperation.DescribeConfigs, r.Name)))
        {
            // Created, but the client may not see its configs (v5+ return them).
            result.TopicConfigErrorCode = (short)ErrorCode.TopicAuthorizationFailed;
            result.Configs = [];
        }

        foreach (var topic in denied)
        {
            response.Topics.Add(new CreateTopicsResponse.CreatableTopicResult
            {
                Name = topic.Name,
                ErrorCode = (short)ErrorCode.TopicAuthorizationFailed,
                ErrorMessage = "Authorization failed.",
                NumPartitions = -1,
                ReplicationFactor = -1,
            });
        }

        return response;
    }
}
