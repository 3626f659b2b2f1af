using Tributary.Broker.Metadata;
using Tributary.Broker.Metadata.Controller;
using Tributary.Broker.Network;
using Tributary.Broker.Requests;
using Tributary.Broker.Security;
using Tributary.Protocol;
using Tributary.Protocol.Acls;
using Tributary.Protocol.Messages;

namespace Tributary.Broker.Handlers.Admin;

/// <summary>DeleteTopics v0-6: by name (v0-5 topic names, v6 name) or by topic id (v6).</summary>
public sealed class DeleteTopicsHandler : RequestHandler<DeleteTopicsRequest, DeleteTopicsResponse>
{
    private readonly IClusterController _controller;
    private readonly RequestAuthorizer _authorizer;
    private readonly IMetadataView? _metadata;

    public DeleteTopicsHandler(IClusterController controller, RequestAuthorizer? authorizer = null, IMetadataView? metadata = null)
        : base(ApiKey.DeleteTopics, 0, 6)
    {
        ArgumentNullException.ThrowIfNull(controller);
        _controller = controller;
        _authorizer = authorizer ?? RequestAuthorizer.Disabled;
        _metadata = metadata;
    }

    protected override async ValueTask<DeleteTopicsResponse?> HandleAsync(RequestContext context, RequestHeader header, DeleteTopicsRequest request, CancellationToken ct)
    {
        var topics = header.RequestApiVersion >= 6
            ? request.Topics
            : [.. request.TopicNames.Select(n => new DeleteTopicsRequest.DeleteTopicState { Name = n })];
        var results = await DeleteAuthorizedAsync(context, topics, ct).ConfigureAwait(false);
        if (header.RequestApiVersion < 6)
        {
            // Before v6 the name is not nullable and is echoed as sent.
            for (var i = 0; i < results.Count; i++)
            {
                results[i].Name ??= request.TopicNames[i];
            }
        }

        return new DeleteTopicsResponse { Responses = results };
    }

    /// <summary>
    /// Kafka: DELETE on each topic (by name, or by the name its id resolves to); the others never
    /// reach the controller and are answered TOPIC_AUTHORIZATION_FAILED, in request order.
    /// </summary>
    private async ValueTask<List<DeleteTopicsResponse.DeletableTopicResult>> DeleteAuthorizedAsync(RequestContext context, List<DeleteTopicsRequest.DeleteTopicState> topics, CancellationToken ct)
    {
        if (!_authorizer.Enabled)
        {
            return await _controller.DeleteTopicsAsync(topics, ct).ConfigureAwait(false);
        }

        var image = _metadata?.Current;
        var denied = topics.Select(t => (t.Name ?? image?.TopicNamesById.GetValueOrDefault(t.TopicId)) is { } name
            && !_authorizer.AuthorizeTopic(context, AclOperation.Delete, name)).ToArray();
        var allowed = await _controller.DeleteTopicsAsync([.. topics.Where((_, i) => !denied[i])], ct).ConfigureAwait(false);
        var results = new List<DeleteTopicsResponse.DeletableTopicResult>(topics.Count);
        var next = 0;
        for (var i = 0; i < topics.Count; i++)
        {
            results.Add(denied[i]
                ? new DeleteTopicsResponse.DeletableTopicResult { Name = topics[i].Name, TopicId = topics[i].TopicId, ErrorCode = (short)ErrorCode.TopicAuthorizationFailed }
                : allowed[next++]);
        }

        return results;
    }
}
