using Tributary.Protocol.Messages;

namespace Tributary.Broker.Quorum;

/// <summary>
/// Answers Fetch requests for <c>__cluster_metadata</c> (named, or by its fixed topic id in v13+)
/// from the Raft node: replicas (voters and observers) replicate the metadata log this way, and the
/// leader holds an up-to-date replica's fetch until there is news (see <see cref="RaftDriver"/>).
/// </summary>
public sealed class QuorumFetchHandler : IQuorumFetchHandler
{
    private readonly RaftDriver _driver;

    public QuorumFetchHandler(RaftDriver driver)
    {
        ArgumentNullException.ThrowIfNull(driver);
        _driver = driver;
    }

    public bool IsQuorumFetch(FetchRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        foreach (var topic in request.Topics)
        {
            if (topic.Topic == MetadataTopic.Name || topic.TopicId == MetadataTopic.Id)
            {
                return true;
            }
        }

        return false;
    }

    public async ValueTask<FetchResponse> HandleAsync(FetchRequest request, short version, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        foreach (var topic in request.Topics)
        {
            if (topic.TopicId == MetadataTopic.Id)
            {
                topic.Topic = MetadataTopic.Name; // the Raft core checks the name
            }
        }

        var response = (FetchResponse)await _driver.HandleRequestAsync(request, ct).ConfigureAwait(false);
        foreach (var topic in response.Responses)
        {
            if (topic.Topic == MetadataTopic.Name)
            {
                topic.TopicId = MetadataTopic.Id; // v13+ identify the topic by id only
            }
        }

        return response;
    }
}
