using System.Text;
using Tributary.Client.Producer;
using Tributary.Client.Tests.Support;
using Tributary.Protocol;
using Tributary.Protocol.Messages;
using Tributary.Protocol.Records;

namespace Tributary.Client.Tests.Producer;

/// <summary>The idempotent producer's retries over an in-memory broker that checks sequences like Kafka.</summary>
public sealed class ProducerRetryTests
{
    private sealed class SequenceCheckingBroker
    {
        private readonly Lock _gate = new();
        private int _expected;

        public List<string> Log { get; } = [];

        public int Rejections { get; private set; }

        public HashSet<int> FailOnceAt { get; init; } = [];

        public ProduceResponse Handle(ProduceRequest request)
        {
            lock (_gate)
            {
                var response = new ProduceResponse();
                foreach (var topic in request.TopicData)
                {
                    var answers = new ProduceResponse.TopicProduceResponse { Name = topic.Name };
                    foreach (var partition in topic.PartitionData)
                    {
                        answers.PartitionResponses.Add(Append(partition.Index, partition.Records!.Value));
                    }

                    response.Responses.Add(answers);
                }

                return response;
            }
        }

        private ProduceResponse.PartitionProduceResponse Append(int index, ReadOnlyMemory<byte> records)
        {
            var batch = new RecordBatch(records.Span);
            Assert.Equal(1000, batch.ProducerId);
            var sequence = batch.BaseSequence;
            ErrorCode error;
            if (FailOnceAt.Remove(sequence))
            {
                error = ErrorCode.NotLeaderOrFollower;
            }
            else if (sequence > _expected)
            {
                error = ErrorCode.OutOfOrderSequenceNumber;
            }
            else if (sequence < _expected)
            {
                error = ErrorCode.DuplicateSequenceNumber;
            }
            else
            {
                var baseOffset = Log.Count;
                foreach (var record in batch.Records)
                {
                    Log.Add(Encoding.UTF8.GetString(record.Value));
                }

                _expected += batch.RecordCount;
                return new ProduceResponse.PartitionProduceResponse { Index = index, BaseOffset = baseOffset };
            }

            Rejections++;
            return new ProduceResponse.PartitionProduceResponse { Index = index, ErrorCode = (short)error, BaseOffset = -1 };
        }
    }

    [Fact]
    public async Task RetriedBatchesKeepTheirOrderWithFiveInFlight()
    {
        var broker = new SequenceCheckingBroker { FailOnceAt = [1, 6] };
        FakeCluster? fake = null;
        fake = new FakeCluster(1, (_, request, _) => request switch
        {
            MetadataRequest => fake!.Metadata(1, ("t", [1])),
            InitProducerIdRequest => new InitProducerIdResponse { ProducerId = 1000, ProducerEpoch = 0 },
            ProduceRequest produce => broker.Handle(produce),
            _ => throw new InvalidOperationException(request.ApiKey.ToString()),
        });
        var options = new ProducerOptions
        {
            BootstrapServers = fake.BootstrapServers,
            Linger = TimeSpan.Zero,
            BatchSize = 1,
            MaxInFlight = 5,
            RetryBackoff = TimeSpan.FromMilliseconds(1),
            RetryBackoffMax = TimeSpan.FromMilliseconds(5),
        };
        await using var producer = new KafkaProducer(options, fake);
        var sends = Enumerable.Range(0, 12)
            .Select(i => producer.ProduceAsync(new ProducerRecord("t", null, Encoding.UTF8.GetBytes($"v{i}")) { Partition = 0 }))
            .ToList();
        await producer.FlushAsync();
        var results = await Task.WhenAll(sends);

        Assert.Equal(Enumerable.Range(0, 12).Select(i => $"v{i}"), broker.Log);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => (long)i), results.Select(r => r.Offset));
        Assert.True(broker.Rejections >= 2);
        Assert.Equal((1000L, (short)0), producer.ProducerIdentity);
    }

    [Fact]
    public async Task NonRetriableErrorsFailTheRecord()
    {
        FakeCluster? fake = null;
        fake = new FakeCluster(1, (_, request, _) => request switch
        {
            MetadataRequest => fake!.Metadata(1, ("t", [1, 1])),
            ProduceRequest produce => new ProduceResponse
            {
                Responses =
                [
                    new ProduceResponse.TopicProduceResponse
                    {
                        Name = "t",
                        PartitionResponses = produce.TopicData[0].PartitionData.Select(p => new ProduceResponse.PartitionProduceResponse
                        {
                            Index = p.Index,
                            ErrorCode = (short)(p.Index == 1 ? ErrorCode.MessageTooLarge : ErrorCode.None),
                            BaseOffset = 5,
                        }).ToList(),
                    },
                ],
            },
            _ => throw new InvalidOperationException(request.ApiKey.ToString()),
        });
        var options = new ProducerOptions { BootstrapServers = fake.BootstrapServers, EnableIdempotence = false, Acks = Client.Producer.Acks.Leader };
        await using var producer = new KafkaProducer(options, fake);
        var ok = producer.ProduceAsync(new ProducerRecord("t", [1], [2]) { Partition = 0, Timestamp = 1234 });
        var bad = producer.ProduceAsync(new ProducerRecord("t", [1], [2]) { Partition = 1 });
        var delivered = await ok;
        Assert.Equal(new DeliveryResult(new TopicPartition("t", 0), 5, 1234), delivered);
        var error = await Assert.ThrowsAsync<KafkaException>(() => bad);
        Assert.Equal(ErrorCode.MessageTooLarge, error.ErrorCode);
    }
}
