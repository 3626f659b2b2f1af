using Tributary.Broker.Metadata.Controller;
using Tributary.Broker.Network;
using Tributary.Broker.Requests;
using Tributary.Broker.Security;
using Tributary.Protocol;
using Tributary.Protocol.Acls;
using Tributary.Protocol.Messages;

namespace Tributary.Broker.Handlers.Admin;

/// <summary>CreatePartitions v0-3: grows topics (never shrinks: INVALID_PARTITIONS), optional assignments, validateOnly.</summary>
public sealed class CreatePartitionsHandler : RequestHandler<CreatePartitionsRequest, CreatePartitionsResponse>
{
    private readonly IClusterController _controller;
    private readonly RequestAuthorizer _authorizer;

    public CreatePartitionsHandler(IClusterController controller, RequestAuthorizer? authorizer = null)
        : base(ApiKey.CreatePartitions, 0, 3)
    {
        ArgumentNullException.ThrowIfNull(controller);
        _controller = controller;
        _authorizer = authorizer ?? RequestAuthorizer.Disabled;
    }

    protected override async ValueTask<CreatePartitionsResponse?> HandleAsync(RequestContext context, RequestHeader header, CreatePartitionsRequest request, CancellationToken ct)
    {
        if (!_authorizer.Enabled)
        {
            return await _controller.CreatePartitionsAsync(request, ct).ConfigureAwait(false);
        }

        // Kafka: ALTER on each topic; the others are answered TOPIC_AUTHORIZATION_FAILED.
        var denied = request.Topics.Where(t => !_authorizer.AuthorizeTopic(context, AclOperation.Alter, t.Name)).ToList();
        request.Topics = [.. request.Topics.Except(denied)];
        var response = await _controller.CreatePartitionsAsync(request, ct).ConfigureAwait(false);
        foreach (var topic in denied)
        {
            response.Results.Add(new CreatePartitionsResponse.CreatePartitionsTopicResult
            {
                Name = topic.Name,
                ErrorCode = (short)ErrorCode.TopicAuthorizationFailed,
                ErrorMessage = ConfigResourceAuthorization.Message(ErrorCode.TopicAuthorizationFailed),
            });
        }

        return response;
    }
}
