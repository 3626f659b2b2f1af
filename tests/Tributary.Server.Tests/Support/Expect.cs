namespace Tributary.Server.Tests.Support;

/// <summary>Assertions shared by the real-client tests.</summary>
public static class Expect
{
    /// <summary>
    /// Every record that was sent arrived exactly once, and each partition delivered its records
    /// in the order their offsets were acknowledged.
    /// </summary>
    public static void SamePerPartition(IReadOnlyList<SentRecord> sent, IReadOnlyList<SentRecord> received)
    {
        Assert.Equal(sent.Count, received.Count);
        foreach (var partition in sent.Select(r => r.Partition).Distinct())
        {
            var expected = sent.Where(r => r.Partition == partition).OrderBy(r => r.Offset).ToList();
            var actual = received.Where(r => r.Partition == partition).ToList();
            Assert.Equal(expected.Count, actual.Count);
            for (var i = 0; i < expected.Count; i++)
            {
                Assert.Equal(expected[i], actual[i]);
            }
        }

        Assert.True(sent.Select(r => r.Partition).Distinct().Count() > 1, "records should spread over several partitions");
    }
}
