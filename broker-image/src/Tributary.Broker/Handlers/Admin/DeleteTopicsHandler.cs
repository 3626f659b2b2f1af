using Tributary.Broker.Metadata.Controller;
using Tributary.Broker.Network;
using Tributary.Broker.Requests;
using Tributary.Protocol.Messages;

namespace Tributary.Broker.Handlers.Admin;

/// <summary>DeleteTopics v0-6: by name (v0-5 topic names, v6 name) or by topic id (v6).</summary>
public sealed class DeleteTopicsHandler : RequestHandler<DeleteTopicsRequest, DeleteTopicsResponse>
{
    private readonly IClusterController _controller;

    public DeleteTopicsHandler(IClusterController controller)
        : base(ApiKey.DeleteTopics, 0, 6)
    {
        ArgumentNullException.ThrowIfNull(controller);
        _controller = controller;
    }

    protected override async ValueTask<DeleteTopicsResponse?> HandleAsync(RequestContext context, RequestHeader header, DeleteTopicsRequest request, CancellationToken ct)
    {
        var topics = header.RequestApiVersion >= 6
            ? request.Topics
            : [.. request.TopicNames.Select(n => new DeleteTopicsRequest.DeleteTopicState { Name = n })];
        var results = await _controller.DeleteTopicsAsync(topics, ct).ConfigureAwait(false);
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
}
