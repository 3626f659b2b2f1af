using Tributary.Broker.Groups;
using Xunit;

namespace Tributary.Broker.Tests.Groups;

public sealed class GroupPartitionerTests
{
    [Theory]
    [InlineData("", 0)]
    [InlineData("a", 97)]
    [InlineData("hello", 99162322)] // the value Java documents in countless examples
    [InlineData("my-group", -1906497762)]
    [InlineData("polygenelubricants", int.MinValue)] // a well-known string whose Java hash is Integer.MIN_VALUE
    [InlineData("\U0001F600g", 54959972)] // a surrogate pair counts as two UTF-16 code units
    public void JavaHashCodeMatchesJava(string value, int expected) => Assert.Equal(expected, GroupPartitioner.JavaHashCode(value));

    [Theory]
    [InlineData("my-group", 50, 12)]
    [InlineData("hello", 50, 22)]
    [InlineData("console-consumer-12345", 50, 6)]
    [InlineData("polygenelubricants", 50, 0)] // Utils.abs(MIN_VALUE) == 0, unlike Math.abs
    [InlineData("my-group", 1, 0)]
    public void PartitionForMatchesKafka(string groupId, int partitions, int expected) =>
        Assert.Equal(expected, GroupPartitioner.PartitionFor(groupId, partitions));

    [Fact]
    public void KafkaAbs()
    {
        Assert.Equal(0, GroupPartitioner.KafkaAbs(int.MinValue));
        Assert.Equal(5, GroupPartitioner.KafkaAbs(-5));
        Assert.Equal(int.MaxValue, GroupPartitioner.KafkaAbs(int.MaxValue));
    }
}
