using System.Collections.Concurrent;
using Confluent.Kafka;
using Tributary.Server.Tests.Support;
using Tributary.TestSupport;

namespace Tributary.Server.Tests.Cluster;

/// <summary>
/// The durability tests' producer side and verdict: records "seq-N" sent in order by one
/// idempotent acks=all producer into one partition, each acknowledgement's offset remembered; at
/// the end the partition must hold every acknowledged record exactly once, in order, at the offset
/// it was acknowledged at.
/// </summary>
public sealed class AcknowledgedSequence
{
    private readonly ConcurrentDictionary<int, long> _acked = new();
    private readonly ConcurrentDictionary<int, string> _failed = new();

    public int AckedCount => _acked.Count;

    public int FailedCount => _failed.Count;

    /// <summary>Idempotent, acks=all, and patient enough to outlive every failover: only a real loss may fail a record.</summary>
    public static ProducerConfig ProducerConfig(string bootstrap)
    {
        var config = RealClients.ProducerConfig(bootstrap);
        config.EnableIdempotence = true;
        config.Acks = Acks.All;
        config.LingerMs = 5;
        config.MessageTimeoutMs = 300_000;
        config.RequestTimeoutMs = 10_000;
        return config;
    }

    /// <summary>Queues record <paramref name="seq"/>, polling while the local queue is full.</summary>
    public void Produce(IProducer<string, string> producer, string topic, int seq)
    {
        while (true)
        {
            try
            {
                producer.Produce(topic, new Message<string, string> { Key = "k", Value = $"seq-{seq}" }, report =>
                {
                    if (report.Error.Code == ErrorCode.NoError)
                    {
                        _acked[seq] = report.Offset.Value;
                    }
                    else
                    {
                        _failed[seq] = report.Error.Reason;
                    }
                });
                return;
            }
            catch (ProduceException<string, string> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                producer.Poll(TimeSpan.FromMilliseconds(50));
            }
        }
    }

    public string Summary() => $"acked {_acked.Count}, failed {_failed.Count} ({string.Join("; ", _failed.Values.Distinct().Take(3))})";

    /// <summary>All <paramref name="sent"/> records acknowledged, and the partition as read holds them exactly once, in order, at their offsets.</summary>
    public void AssertSurvived(int sent, IReadOnlyList<ConsumeResult<string, string>> consumed)
    {
        Assert.Empty(_failed);
        Assert.Equal(sent, _acked.Count);
        var seqs = consumed.Select(r => SequenceCheck.ParseSeq(r.Message.Value)).ToList();
        Assert.Equal(seqs.Count, seqs.Distinct().Count());
        Assert.Equal(seqs.Order(), seqs); // one producer, one partition: ascending

        // Hundreds of thousands of records: look up, never scan (Assert.All over Contains was quadratic).
        var offsetOf = consumed.ToDictionary(r => SequenceCheck.ParseSeq(r.Message.Value), r => r.Offset.Value);
        var missing = _acked.Keys.Where(seq => !offsetOf.ContainsKey(seq)).Order().Take(5).ToList();
        Assert.True(missing.Count == 0, $"acknowledged but not in the log: {string.Join(", ", missing)}...");
        var moved = _acked.Where(kv => offsetOf[kv.Key] != kv.Value).Take(5).Select(kv => $"seq {kv.Key} acked at {kv.Value}, found at {offsetOf[kv.Key]}").ToList();
        Assert.True(moved.Count == 0, string.Join("; ", moved));
    }
}
