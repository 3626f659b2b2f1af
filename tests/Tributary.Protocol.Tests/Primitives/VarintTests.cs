using Xunit;
using Tributary.Protocol.Primitives;

namespace Tributary.Protocol.Tests.Primitives;

public class VarintTests
{
    public static TheoryData<int, byte[]> Int32Cases => new()
    {
        { 0, [0x00] },
        { -1, [0x01] },
        { 1, [0x02] },
        { 63, [0x7E] },
        { -64, [0x7F] },
        { 64, [0x80, 0x01] },
        { int.MaxValue, [0xFE, 0xFF, 0xFF, 0xFF, 0x0F] },
        { int.MinValue, [0xFF, 0xFF, 0xFF, 0xFF, 0x0F] },
    };

    public static TheoryData<long, byte[]> Int64Cases => new()
    {
        { 0L, [0x00] },
        { -1L, [0x01] },
        { 300L, [0xD8, 0x04] },
        { int.MaxValue + 1L, [0x80, 0x80, 0x80, 0x80, 0x10] },
        { long.MaxValue, [0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01] },
        { long.MinValue, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01] },
    };

    [Theory]
    [MemberData(nameof(Int32Cases))]
    public void VarIntEncodesAndDecodes(int value, byte[] encoded)
    {
        Assert.Equal(encoded.Length, Varint.SizeOfVarInt(value));
        var buffer = new byte[encoded.Length];
        var writer = new KafkaWriter(buffer);
        writer.WriteVarInt(value);
        Assert.Equal(encoded, buffer);

        var reader = new KafkaReader(encoded);
        Assert.Equal(value, reader.ReadVarInt());
        Assert.True(reader.End);
    }

    [Theory]
    [MemberData(nameof(Int64Cases))]
    public void VarLongEncodesAndDecodes(long value, byte[] encoded)
    {
        Assert.Equal(encoded.Length, Varint.SizeOfVarLong(value));
        var buffer = new byte[encoded.Length];
        var writer = new KafkaWriter(buffer);
        writer.WriteVarLong(value);
        Assert.Equal(encoded, buffer);

        var reader = new KafkaReader(encoded);
        Assert.Equal(value, reader.ReadVarLong());
        Assert.True(reader.End);
    }

    [Theory]
    [InlineData(0u, 1)]
    [InlineData(127u, 1)]
    [InlineData(128u, 2)]
    [InlineData(16383u, 2)]
    [InlineData(16384u, 3)]
    [InlineData((1u << 28) - 1, 4)]
    [InlineData(1u << 28, 5)]
    [InlineData(uint.MaxValue, 5)]
    public void UnsignedVarIntRoundTripsAtEveryLengthBoundary(uint value, int size)
    {
        var buffer = new byte[size];
        Assert.Equal(size, Varint.WriteUnsigned(buffer, value));
        Assert.Equal(VarintResult.Ok, Varint.TryReadUnsigned(buffer, out var decoded, out var length));
        Assert.Equal(value, decoded);
        Assert.Equal(size, length);
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x80, 0x00 })] // six bytes
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x10 })]       // fifth byte above 0x0F
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF })]       // continuation on the fifth byte
    public void OverlongThirtyTwoBitFormsAreRejected(byte[] encoded)
    {
        Assert.Equal(VarintResult.Overlong, Varint.TryReadUnsigned(encoded, out _, out _));
        var error = Assert.Throws<ProtocolException>(() => new KafkaReader(encoded).ReadVarInt());
        Assert.Equal(ProtocolError.InvalidVarint, error.Error);
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00 })] // eleven bytes
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02 })]       // tenth byte above 0x01
    public void OverlongSixtyFourBitFormsAreRejected(byte[] encoded)
    {
        Assert.Equal(VarintResult.Overlong, Varint.TryReadUnsignedLong(encoded, out _, out _));
        var error = Assert.Throws<ProtocolException>(() => new KafkaReader(encoded).ReadVarLong());
        Assert.Equal(ProtocolError.InvalidVarint, error.Error);
    }

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 0x80 })]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF })]
    public void TruncatedVarIntsAreReported(byte[] encoded)
    {
        Assert.Equal(VarintResult.Truncated, Varint.TryReadUnsigned(encoded, out _, out _));
        Assert.Equal(VarintResult.Truncated, Varint.TryReadUnsignedLong(encoded, out _, out _));
        var error = Assert.Throws<ProtocolException>(() => new KafkaReader(encoded).ReadVarInt());
        Assert.Equal(ProtocolError.Truncated, error.Error);
    }

    [Fact]
    public void DecodingStopsAtTheLastByteOfTheVarint()
    {
        byte[] encoded = [0xAC, 0x02, 0xFF, 0xFF];
        Assert.Equal(VarintResult.Ok, Varint.TryReadUnsigned(encoded, out var value, out var length));
        Assert.Equal(300u, value);
        Assert.Equal(2, length);
    }
}
