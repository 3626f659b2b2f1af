using System.Globalization;

namespace Tributary.Server.Tests.Support;

/// <summary>
/// For clients that don't report per-record offsets at produce time (kcat, kafka-python): every
/// sequence number arrives exactly once, with its key and header, and each partition delivers
/// sequence numbers in increasing order (one producer sent them in order).
/// </summary>
public static class SequenceCheck
{
    public static void AssertExactlyOnceInPartitionOrder(int count, IReadOnlyList<(int Partition, string Key, int Seq, string Header)> consumed, Func<int, string> keyOf, string header)
    {
        Assert.Equal(count, consumed.Count);
        Assert.Equal(Enumerable.Range(0, count), consumed.Select(r => r.Seq).Order());
        foreach (var record in consumed)
        {
            Assert.Equal(keyOf(record.Seq), record.Key);
            Assert.Equal(header, record.Header);
        }

        var byPartition = consumed.GroupBy(r => r.Partition).ToList();
        Assert.True(byPartition.Count > 1, "records should spread over several partitions");
        foreach (var partition in byPartition)
        {
            var seqs = partition.Select(r => r.Seq).ToList();
            Assert.Equal(seqs.Order(), seqs);
            // Same key, same partition: keys never straddle partitions.
            foreach (var key in partition.Select(r => r.Key).Distinct())
            {
                Assert.DoesNotContain(byPartition.Where(p => p.Key != partition.Key).SelectMany(p => p), r => r.Key == key);
            }
        }
    }

    public static int ParseSeq(string value) => int.Parse(value.AsSpan(value.IndexOf('-', StringComparison.Ordinal) + 1), CultureInfo.InvariantCulture);
}
