using System.Text;
using Tributary.Client.Producer;

namespace Tributary.Client.Tests.Producer;

public sealed class Murmur2Tests
{
    /// <summary>The vectors of Kafka's own UtilsTest.testMurmur2 (Java's Utils.murmur2).</summary>
    [Theory]
    [InlineData("21", -973932308)]
    [InlineData("foobar", -790332482)]
    [InlineData("a-little-bit-long-string", -985981536)]
    [InlineData("a-little-bit-longer-string", -1486304829)]
    [InlineData("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971)]
    [InlineData("abc", 479470107)]
    public void MatchesJava(string input, int expected) => Assert.Equal(expected, Murmur2.Hash(Encoding.ASCII.GetBytes(input)));

    [Fact]
    public void PartitionIsPositiveModulo()
    {
        // -790332482 & 0x7fffffff = 1357151166; % 7 = 1357151166 - 7 * 193878738 = 0.
        Assert.Equal(1357151166 % 7, Murmur2.Partition(Encoding.ASCII.GetBytes("foobar"), 7));
        Assert.Equal(0, Murmur2.Partition(Encoding.ASCII.GetBytes("foobar"), 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Murmur2.Partition([1], 0));
    }

    [Fact]
    public void EmptyKeyHashesLikeJava()
    {
        // h = seed ^ 0 = 0x9747b28c, then the final mix only.
        uint h = 0x9747b28c;
        h ^= h >> 13;
        h *= 0x5bd1e995;
        h ^= h >> 15;
        Assert.Equal((int)h, Murmur2.Hash([]));
    }
}
