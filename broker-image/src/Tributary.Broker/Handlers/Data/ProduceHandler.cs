using System.Runtime.InteropServices;
using Tributary.Broker.Metadata;
using Tributary.Broker.Metrics;
using Tributary.Broker.Network;
using Tributary.Broker.Partitions;
using Tributary.Broker.Requests;
using Tributary.Broker.Security;
using Tributary.Protocol;
using Tributary.Protocol.Acls;
using Tributary.Protocol.Messages;
using Tributary.Protocol.Primitives;
using Tributary.Protocol.Records;
using static Tributary.Protocol.Messages.ProduceResponse;

namespace Tributary.Broker.Handlers.Data;

/// <summary>
/// Produce: validates each partition's record batch without decoding records, checks idempotent
/// producer sequences, appends with the leader epoch stamped, and answers per acks (0: no
/// response, 1: after the leader append, -1: once the high watermark passes the batch).
/// acks=all follows Kafka: NOT_ENOUGH_REPLICAS before appending when the ISR is smaller than
/// min.insync.replicas, NOT_ENOUGH_REPLICAS_AFTER_APPEND when it shrank below it before the
/// batch was committed.
/// </summary>
/// <remarks>
/// Versions 0-11 are advertised (librdkafka only enables compression when Produce v0 is listed),
/// but v0-2 carry message format v0/v1, which Kafka 4.0 removed: those requests are parsed and
/// every partition is answered UNSUPPORTED_VERSION.
/// Transactions are not supported yet: a transactional batch is answered INVALID_TXN_STATE, what
/// Kafka answers when a transactional producer writes to a partition outside an ongoing
/// transaction (clients treat it as fatal to the transaction, with a clear message).
/// </remarks>
public sealed class ProduceHandler : RequestHandler<ProduceRequest, ProduceResponse>
{
    /// <summary>The first version carrying message format v2 (record batches).</summary>
    public const short FirstRecordBatchVersion = 3;

    private readonly ReplicaManager _replicas;
    private readonly IMetadataView _metadata;
    private readonly BrokerMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ICounter _bytesIn;
    private readonly ICounter _messagesIn;
    private readonly ICounter _bytesRejected;
    private readonly ICounter _failed;
    private readonly RequestAuthorizer _authorizer;

    public ProduceHandler(ReplicaManager replicas, IMetadataView metadata, BrokerMetrics metrics, TimeProvider? time = null, RequestAuthorizer? authorizer = null)
        : base(ApiKey.Produce, 0, 11)
    {
        ArgumentNullException.ThrowIfNull(replicas);
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(metrics);
        _replicas = replicas;
        _metadata = metadata;
        _metrics = metrics;
        _time = time ?? TimeProvider.System;
        _bytesIn = metrics.BytesIn.WithLabels();
        _messagesIn = metrics.MessagesIn.WithLabels();
        _bytesRejected = metrics.BytesRejected.WithLabels();
        _failed = metrics.FailedProduceRequests.WithLabels();
        _authorizer = authorizer ?? RequestAuthorizer.Disabled;
    }

    protected override async ValueTask<ProduceResponse?> HandleAsync(RequestContext context, RequestHeader header, ProduceRequest request, CancellationToken ct)
    {
        var version = header.RequestApiVersion;
        var acks = request.Acks;
        var image = _metadata.Current;
        var response = new ProduceResponse();
        List<(PartitionProduceResponse Response, Partition Partition, long Offset)>? commits = null;
        var anyError = false;
        foreach (var topic in request.TopicData)
        {
            var topicResponse = new TopicProduceResponse { Name = topic.Name };
            response.Responses.Add(topicResponse);
            var authorized = _authorizer.AuthorizeTopic(context, AclOperation.Write, topic.Name);
            foreach (var data in topic.PartitionData)
            {
                var (partitionResponse, partition, commitOffset) = ProducePartition(image, topic.Name, data, version, acks, authorized);
                topicResponse.PartitionResponses.Add(partitionResponse);
                if (partitionResponse.ErrorCode != (short)ErrorCode.None)
                {
                    anyError = true;
                    _failed.Inc();
                    _bytesRejected.Inc(data.Records?.Length ?? 0);
                }
                else if (acks == -1 && partition is not null)
                {
                    (commits ??= []).Add((partitionResponse, partition, commitOffset));
                }
            }
        }

        if (acks == 0)
        {
            // No response is sent; like Kafka, a failure closes the connection so the producer notices.
            return anyError
                ? throw new ProtocolException(ProtocolError.CorruptRecord, "produce with acks=0 failed; closing the connection as Kafka does")
                : null;
        }

        if (commits is not null)
        {
            var deadline = _time.GetUtcNow() + TimeSpan.FromMilliseconds(Math.Max(0, request.TimeoutMs));
            foreach (var (partitionResponse, partition, offset) in commits)
            {
                var remaining = deadline - _time.GetUtcNow();
                var error = await partition.WaitForCommitAsync(offset, remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, ct).ConfigureAwait(false);
                if (error == ErrorCode.None && partition.Leadership.Replicas.Count > 1 &&
                    partition.MaximalIsr.Count < _replicas.MinInsyncReplicas(_metadata.Current, partition.TopicPartition.Topic))
                {
                    // Kafka: the high watermark passed the batch, but only because the ISR shrank below
                    // min.insync.replicas meanwhile; the write is in the log yet under-replicated.
                    error = ErrorCode.NotEnoughReplicasAfterAppend;
                }

                if (error != ErrorCode.None)
                {
                    partitionResponse.ErrorCode = (short)error;
                    partitionResponse.BaseOffset = -1;
                    partitionResponse.LogAppendTimeMs = -1;
                    partitionResponse.LogStartOffset = -1;
                }
            }
        }

        return response;
    }

    private (PartitionProduceResponse Response, Partition? Partition, long CommitOffset) ProducePartition(
        MetadataImage image, string topic, ProduceRequest.PartitionProduceData data, short version, short acks, bool authorized)
    {
        var response = new PartitionProduceResponse { Index = data.Index, BaseOffset = -1, LogAppendTimeMs = -1, LogStartOffset = -1 };

        // Kafka checks WRITE on the topic before anything else about the partition.
        if (!authorized)
        {
            return (Fail(response, ErrorCode.TopicAuthorizationFailed, null), null, -1);
        }

        if (acks is not (0 or 1 or -1))
        {
            return (Fail(response, ErrorCode.InvalidRequiredAcks, "acks must be 0, 1 or -1"), null, -1);
        }

        if (version < FirstRecordBatchVersion)
        {
            return (Fail(response, ErrorCode.UnsupportedVersion, "Produce v0-2 (message format v0/v1) is not supported"), null, -1);
        }

        var partitionImage = image.Partition(topic, data.Index);
        if (partitionImage is null)
        {
            return (Fail(response, ErrorCode.UnknownTopicOrPartition, null), null, -1);
        }

        if (InternalTopics.IsInternal(topic))
        {
            return (Fail(response, ErrorCode.InvalidTopicException, $"cannot append to internal topic {topic}"), null, -1);
        }

        var partition = _replicas.GetPartition(topic, data.Index);
        if (partition is null || !partition.IsLeader)
        {
            Fail(response, ErrorCode.NotLeaderOrFollower, null);
            response.CurrentLeader = new LeaderIdAndEpoch { LeaderId = partitionImage.Leader, LeaderEpoch = partitionImage.LeaderEpoch };
            return (response, null, -1);
        }

        var records = data.Records ?? ReadOnlyMemory<byte>.Empty;
        var validation = RecordBatchValidator.ValidateProduce(records.Span, version, partition.Log.Config.MaxMessageBytes);
        if (!validation.IsValid)
        {
            return (Fail(response, (ErrorCode)validation.Error, validation.Message), null, -1);
        }

        var batch = records.Span;
        var attributes = RecordBatchHeader.Attributes(batch);
        if (RecordBatchHeader.IsTransactional(attributes))
        {
            return (Fail(response, ErrorCode.InvalidTxnState, "transactions are not supported by this broker yet"), null, -1);
        }

        if (RecordBatchHeader.ProducerId(batch) >= 0 && (RecordBatchHeader.BaseSequence(batch) < 0 || RecordBatchHeader.ProducerEpoch(batch) < 0))
        {
            return (Fail(response, ErrorCode.InvalidRecord, "an idempotent batch needs a producer epoch and base sequence"), null, -1);
        }

        if (acks == -1 && _replicas.MinInsyncReplicas(image, topic) > partition.Leadership.Isr.Count)
        {
            return (Fail(response, ErrorCode.NotEnoughReplicas, "the in-sync replica set is smaller than min.insync.replicas"), null, -1);
        }

        // The request frame belongs to this request until its response is sent (IRequestDispatcher),
        // so the log assigns offsets in the received bytes instead of a copy.
        var writable = MemoryMarshal.AsMemory(records).Span;
        var result = partition.AppendAsLeader(writable, checkSequences: true);
        if (result.Error != ErrorCode.None)
        {
            return (Fail(response, result.Error, result.ErrorMessage), null, -1);
        }

        response.BaseOffset = result.BaseOffset;
        response.LogAppendTimeMs = result.LogAppendTimeMs;
        response.LogStartOffset = result.LogStartOffset;
        if (!result.Duplicate)
        {
            _bytesIn.Inc(result.Bytes);
            _messagesIn.Inc(result.RecordCount);
            _metrics.TopicBytesIn.WithLabels(topic).Inc(result.Bytes);
            _metrics.TopicMessagesIn.WithLabels(topic).Inc(result.RecordCount);
        }

        return (response, partition, result.LastOffset + 1);
    }

    private static PartitionProduceResponse Fail(PartitionProduceResponse response, ErrorCode error, string? message)
    {
        response.ErrorCode = (short)error;
        response.ErrorMessage = message;
        return response;
    }
}
