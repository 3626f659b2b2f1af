using Tributary.Broker.Config;
using Tributary.Broker.Topics;
using Tributary.Protocol;
using Tributary.Protocol.Messages;
using Tributary.Protocol.Metadata;

namespace Tributary.Broker.Metadata.Controller;

/// <summary>DeleteTopics as a pure function of the image: one RemoveTopicRecord per deletable topic.</summary>
public static class TopicDeletion
{
    /// <param name="topics">Each names a topic by name or by id (v6+), not both.</param>
    public static ControllerPlan<List<DeleteTopicsResponse.DeletableTopicResult>> Plan(
        MetadataImage image, IReadOnlyList<DeleteTopicsRequest.DeleteTopicState> topics, BrokerConfig config)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(topics);
        ArgumentNullException.ThrowIfNull(config);
        var records = new List<IMetadataRecord>();
        var results = new List<DeleteTopicsResponse.DeletableTopicResult>(topics.Count);
        var duplicateNames = topics.Where(t => t.Name is not null).GroupBy(t => t.Name!, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        var duplicateIds = topics.Where(t => t.Name is null && t.TopicId != Guid.Empty).GroupBy(t => t.TopicId).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet();
        var removed = new HashSet<Guid>();

        foreach (var request in topics)
        {
            var result = new DeleteTopicsResponse.DeletableTopicResult { Name = request.Name, TopicId = request.TopicId };
            results.Add(result);
            var topic = request.Name is not null ? image.Topic(request.Name) : image.Topic(request.TopicId);
            var error = Check(request, topic, config, duplicateNames, duplicateIds);
            if (error is { } e)
            {
                result.ErrorCode = (short)e.Item1;
                result.ErrorMessage = e.Item2;
                continue;
            }

            result.Name = topic!.Name;
            result.TopicId = topic.Id;
            if (removed.Add(topic.Id))
            {
                records.Add(new RemoveTopicRecord { TopicId = topic.Id });
            }
        }

        return new ControllerPlan<List<DeleteTopicsResponse.DeletableTopicResult>>(records, results);
    }

    private static (ErrorCode, string)? Check(DeleteTopicsRequest.DeleteTopicState request, TopicImage? topic, BrokerConfig config,
        HashSet<string> duplicateNames, HashSet<Guid> duplicateIds)
    {
        if (request.Name is not null && request.TopicId != Guid.Empty)
        {
            return (ErrorCode.InvalidRequest, "Topic name and topic id cannot both be specified.");
        }

        if ((request.Name is not null && duplicateNames.Contains(request.Name)) || (request.Name is null && duplicateIds.Contains(request.TopicId)))
        {
            return (ErrorCode.InvalidRequest, "Duplicate topic name or id.");
        }

        if (!config.DeleteTopicEnable)
        {
            return (ErrorCode.TopicDeletionDisabled, "Topic deletion is disabled (delete.topic.enable=false).");
        }

        if (topic is null)
        {
            return request.Name is null
                ? (ErrorCode.UnknownTopicId, $"Topic id {request.TopicId} does not exist.")
                : (ErrorCode.UnknownTopicOrPartition, "This server does not host this topic-partition.");
        }

        if (TopicNames.IsInternal(topic.Name))
        {
            return (ErrorCode.InvalidRequest, $"Cannot delete internal topic {topic.Name}.");
        }

        return null;
    }
}
