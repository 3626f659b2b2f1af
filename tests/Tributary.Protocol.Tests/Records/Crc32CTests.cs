using Xunit;
using System.Text;
using Tributary.Protocol.Checksums;

namespace Tributary.Protocol.Tests.Records;

public class Crc32CTests
{
    [Fact]
    public void CheckValueOf123456789() => Assert.Equal(0xE3069283u, Crc32C.Compute(Encoding.ASCII.GetBytes("123456789")));

    [Fact]
    public void EmptyInputIsZero() => Assert.Equal(0u, Crc32C.Compute([]));

    // RFC 3720 (iSCSI) appendix B.4 test vectors.
    [Fact]
    public void ThirtyTwoZeroBytes() => Assert.Equal(0x8A9136AAu, Crc32C.Compute(new byte[32]));

    [Fact]
    public void ThirtyTwoOnesBytes() => Assert.Equal(0x62A8AB43u, Crc32C.Compute(Enumerable.Repeat((byte)0xFF, 32).ToArray()));

    [Fact]
    public void ThirtyTwoIncreasingBytes() => Assert.Equal(0x46DD794Eu, Crc32C.Compute(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray()));

    [Fact]
    public void ThirtyTwoDecreasingBytes() => Assert.Equal(0x113FDB5Cu, Crc32C.Compute(Enumerable.Range(0, 32).Select(i => (byte)(31 - i)).ToArray()));

    [Fact]
    public void IscsiReadCommandPdu()
    {
        byte[] pdu =
        [
            0x01, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
            0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x18,
            0x28, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        ];
        Assert.Equal(0xD9963A56u, Crc32C.Compute(pdu));
    }

    /// <summary>Every length 0..100 exercises the 8/4/2/1-byte tails; compared with a bitwise reference.</summary>
    [Fact]
    public void MatchesBitwiseReferenceForAllTailLengths()
    {
        var random = new Random(42);
        for (var length = 0; length <= 100; length++)
        {
            var data = new byte[length];
            random.NextBytes(data);
            Assert.Equal(Reference(data), Crc32C.Compute(data));
        }
    }

    /// <summary>
    /// Inputs of three 4 KiB lanes and more take the interleaved path; lengths around its
    /// boundaries and a 1 MB batch are compared with the bitwise reference.
    /// </summary>
    [Theory]
    [InlineData(12287)]
    [InlineData(12288)]
    [InlineData(12289)]
    [InlineData(24576 + 13)]
    [InlineData(40000)]
    [InlineData(1 << 20)]
    public void MatchesBitwiseReferenceOnLargeInputs(int length)
    {
        var data = new byte[length + 3];
        new Random(length).NextBytes(data);
        Assert.Equal(Reference(data.AsSpan(0, length)), Crc32C.Compute(data.AsSpan(0, length)));
        Assert.Equal(Reference(data.AsSpan(3, length)), Crc32C.Compute(data.AsSpan(3, length)));
        var split = length / 3;
        Assert.Equal(Crc32C.Compute(data.AsSpan(0, length)), Crc32C.Append(Crc32C.Compute(data.AsSpan(0, split)), data.AsSpan(split, length - split)));
    }

    [Fact]
    public void AppendContinuesAChecksum()
    {
        var data = Encoding.ASCII.GetBytes("The quick brown fox jumps over the lazy dog");
        for (var split = 0; split <= data.Length; split++)
        {
            var first = Crc32C.Compute(data.AsSpan(0, split));
            Assert.Equal(Crc32C.Compute(data), Crc32C.Append(first, data.AsSpan(split)));
        }
    }

    [Fact]
    public void UnalignedInputGivesTheSameResult()
    {
        var data = new byte[80];
        new Random(7).NextBytes(data);
        for (var start = 1; start < 8; start++)
        {
            Assert.Equal(Reference(data.AsSpan(start, 64)), Crc32C.Compute(data.AsSpan(start, 64)));
        }
    }

    private static uint Reference(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
            }
        }

        return ~crc;
    }
}
