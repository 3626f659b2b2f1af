namespace Tributary.Storage.Tests;

public sealed class ConcurrencyTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task ReadersNeverSeeTornBatchesWhileAppendsRollSegments()
    {
        var config = LogConfig.Default with { SegmentBytes = 4096, IndexIntervalBytes = 256 };
        using var log = LogFixture.Open(_dir.Sub("orders-0"), config);
        const int Batches = 1500;
        var done = 0;
        var writer = Task.Run(() =>
        {
            for (var i = 0; i < Batches; i++)
            {
                LogFixture.AppendSimple(log, 1 + (i % 4), prefix: $"w{i}-");
            }

            Volatile.Write(ref done, 1);
        });

        async Task<long> Reader(int seed)
        {
            await Task.Yield();
            var random = new Random(seed);
            long checkedBatches = 0;
            while (Volatile.Read(ref done) == 0 || checkedBatches == 0)
            {
                var end = log.LogEndOffset;
                if (end == 0)
                {
                    continue;
                }

                var offset = random.NextInt64(0, end);
                using var read = log.Read(offset, random.Next(1, 8192));
                Assert.Equal(ReadStatus.Ok, read.Status);
                var batches = TestBatches.Split(read.Records.Span); // checks each CRC
                Assert.NotEmpty(batches);
                Assert.True(TestBatches.BaseOffset(batches[0]) <= offset && TestBatches.LastOffset(batches[0]) >= offset);
                for (var b = 1; b < batches.Count; b++)
                {
                    Assert.Equal(TestBatches.LastOffset(batches[b - 1]) + 1, TestBatches.BaseOffset(batches[b]));
                }

                Assert.True(TestBatches.LastOffset(batches[^1]) < read.LogEndOffset);
                checkedBatches += batches.Count;
            }

            return checkedBatches;
        }

        var readers = Enumerable.Range(1, 3).Select(Reader).ToArray();
        await writer;
        var counts = await Task.WhenAll(readers);
        Assert.All(counts, c => Assert.True(c > 0));
        Assert.Equal(Enumerable.Range(0, Batches).Sum(i => 1 + (i % 4)), log.LogEndOffset);
    }

    [Fact]
    public async Task ConcurrentAppendsAreSerialized()
    {
        using var log = LogFixture.Open(_dir.Sub("orders-0"), LogConfig.Default with { SegmentBytes = 8192 });
        var tasks = Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 200; i++)
            {
                LogFixture.AppendSimple(log, 2, prefix: $"t{t}-");
            }
        }));
        await Task.WhenAll(tasks);

        var records = LogFixture.ReadAll(log);
        Assert.Equal(1600, records.Count);
        Assert.Equal(Enumerable.Range(0, 1600).Select(i => (long)i), records.Select(r => r.Offset));
    }
}
