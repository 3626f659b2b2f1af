namespace Tributary.Storage.Tests;

public sealed class CheckpointTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void CheckpointFilesRoundTripInKafkasTextFormat()
    {
        var path = _dir.Sub(OffsetCheckpointFile.RecoveryPointFileName);
        var offsets = new Dictionary<TopicPartition, long>
        {
            [new("orders", 0)] = 42,
            [new("orders", 1)] = 0,
            [new("my-topic.v2", 11)] = 1_234_567_890_123,
        };
        OffsetCheckpointFile.Write(path, offsets);

        Assert.Equal(["0", "3", "my-topic.v2 11 1234567890123", "orders 0 42", "orders 1 0"], File.ReadAllLines(path));
        Assert.Equal(offsets, OffsetCheckpointFile.Read(path));
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Fact]
    public void AMissingFileIsEmptyAndAMalformedOneIsATypedError()
    {
        Assert.Empty(OffsetCheckpointFile.Read(_dir.Sub("missing")));

        var path = _dir.Sub("bad");
        foreach (var content in new[] { "1\n0\n", "0\n2\norders 0 5\n", "0\n1\norders x 5\n", "" })
        {
            File.WriteAllText(path, content);
            Assert.Equal(StorageError.CorruptCheckpoint, Assert.Throws<StorageException>(() => OffsetCheckpointFile.Read(path)).Error);
        }
    }

    [Fact]
    public void ReadsFilesWrittenByKafka()
    {
        var path = _dir.Sub("kafka");
        File.WriteAllText(path, "0\n2\n__consumer_offsets 7 1500\ntest-topic 0 0\n");
        var offsets = OffsetCheckpointFile.Read(path);
        Assert.Equal(1500, offsets[new TopicPartition("__consumer_offsets", 7)]);
        Assert.Equal(0, offsets[new TopicPartition("test-topic", 0)]);
    }

    [Theory]
    [InlineData("orders-0", "orders", 0)]
    [InlineData("my-topic-with-dashes-12", "my-topic-with-dashes", 12)]
    [InlineData("__consumer_offsets-49", "__consumer_offsets", 49)]
    public void PartitionDirectoryNamesParse(string name, string topic, int partition)
    {
        Assert.True(TopicPartition.TryParseDirectoryName(name, out var tp));
        Assert.Equal(new TopicPartition(topic, partition), tp);
        Assert.Equal(name, tp.DirectoryName);
    }

    [Theory]
    [InlineData("orders-0.3f2a9c1d4e5b6a7c8d9e0f1a2b3c4d5e-delete")]
    [InlineData("orders")]
    [InlineData("orders-")]
    [InlineData("-1")]
    [InlineData("orders-x")]
    public void OtherDirectoryNamesDoNotParse(string name) => Assert.False(TopicPartition.TryParseDirectoryName(name, out _));
}
