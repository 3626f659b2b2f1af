using Xunit;
using Tributary.Protocol.Primitives;

namespace Tributary.Protocol.Tests.Primitives;

public class KafkaReaderTests
{
    private static ProtocolError ErrorOf(byte[] input, ReaderAction action)
    {
        var error = Assert.Throws<ProtocolException>(() =>
        {
            var reader = new KafkaReader(input);
            action(ref reader);
        });
        return error.Error;
    }

    private delegate void ReaderAction(ref KafkaReader reader);

    [Fact]
    public void ClassicStringsAndNull()
    {
        byte[] input = [0x00, 0x03, (byte)'a', (byte)'b', (byte)'c', 0xFF, 0xFF, 0x00, 0x00];
        var reader = new KafkaReader(input);
        Assert.Equal("abc", reader.ReadString());
        Assert.Null(reader.ReadNullableString());
        Assert.Equal("", reader.ReadString());
        Assert.True(reader.End);
    }

    [Fact]
    public void NullWhereAStringIsRequiredIsAnError() =>
        Assert.Equal(ProtocolError.InvalidString, ErrorOf([0xFF, 0xFF], (ref KafkaReader r) => r.ReadString()));

    [Fact]
    public void NegativeStringLengthIsAnError() =>
        Assert.Equal(ProtocolError.InvalidLength, ErrorOf([0xFF, 0xFE], (ref KafkaReader r) => r.ReadNullableString()));

    [Fact]
    public void StringLongerThanTheBufferIsTruncated() =>
        Assert.Equal(ProtocolError.Truncated, ErrorOf([0x7F, 0xFF, (byte)'a'], (ref KafkaReader r) => r.ReadString()));

    [Fact]
    public void InvalidUtf8IsAnError() =>
        Assert.Equal(ProtocolError.InvalidString, ErrorOf([0x00, 0x02, 0xC3, 0x28], (ref KafkaReader r) => r.ReadString()));

    [Fact]
    public void CompactStringsAndNull()
    {
        byte[] input = [0x04, (byte)'x', (byte)'y', (byte)'z', 0x00, 0x01];
        var reader = new KafkaReader(input);
        Assert.Equal("xyz", reader.ReadCompactString());
        Assert.Null(reader.ReadCompactNullableString());
        Assert.Equal("", reader.ReadCompactString());
        Assert.True(reader.End);
    }

    [Fact]
    public void CompactStringLongerThanInt16IsAnError() =>
        // length 40000 + 1 as an unsigned varint
        Assert.Equal(ProtocolError.InvalidLength, ErrorOf([0xC1, 0xB8, 0x02], (ref KafkaReader r) => r.ReadCompactString()));

    [Fact]
    public void CompactStringPastTheBufferIsTruncated() =>
        Assert.Equal(ProtocolError.Truncated, ErrorOf([0x10, (byte)'a'], (ref KafkaReader r) => r.ReadCompactString()));

    [Fact]
    public void ClassicBytesAndNull()
    {
        byte[] input = [0x00, 0x00, 0x00, 0x02, 0xAA, 0xBB, 0xFF, 0xFF, 0xFF, 0xFF];
        var reader = new KafkaReader(input);
        Assert.Equal([0xAA, 0xBB], reader.ReadBytes());
        Assert.Null(reader.ReadNullableBytes());
        Assert.True(reader.End);
    }

    [Fact]
    public void NegativeBytesLengthIsAnError() =>
        Assert.Equal(ProtocolError.InvalidLength, ErrorOf([0xFF, 0xFF, 0xFF, 0xFE], (ref KafkaReader r) => r.ReadNullableBytes()));

    [Fact]
    public void HugeBytesLengthIsTruncatedWithoutAllocating() =>
        Assert.Equal(ProtocolError.Truncated, ErrorOf([0x7F, 0xFF, 0xFF, 0xFF, 0x01], (ref KafkaReader r) => r.ReadBytes()));

    [Fact]
    public void CompactBytesAndNull()
    {
        byte[] input = [0x03, 0x01, 0x02, 0x00];
        var reader = new KafkaReader(input);
        Assert.Equal([0x01, 0x02], reader.ReadCompactBytes());
        Assert.Null(reader.ReadCompactNullableBytes());
    }

    [Fact]
    public void HugeCompactBytesLengthIsTruncated() =>
        Assert.Equal(ProtocolError.Truncated, ErrorOf([0xFF, 0xFF, 0xFF, 0xFF, 0x07], (ref KafkaReader r) => r.ReadCompactBytes()));

    [Fact]
    public void ClassicArrayLengths()
    {
        byte[] input = [0x00, 0x00, 0x00, 0x01, 0x07, 0xFF, 0xFF, 0xFF, 0xFF];
        var reader = new KafkaReader(input);
        Assert.Equal(1, reader.ReadArrayLength());
        Assert.Equal(7, reader.ReadInt8());
        Assert.Equal(-1, reader.ReadArrayLength());
    }

    [Fact]
    public void NegativeArrayLengthIsAnError() =>
        Assert.Equal(ProtocolError.InvalidLength, ErrorOf([0xFF, 0xFF, 0xFF, 0xFE], (ref KafkaReader r) => r.ReadArrayLength()));

    [Fact]
    public void ArrayCountBeyondTheRemainingBytesIsAnError() =>
        Assert.Equal(ProtocolError.InvalidLength, ErrorOf([0x7F, 0xFF, 0xFF, 0xFF, 0x00], (ref KafkaReader r) => r.ReadArrayLength()));

    [Fact]
    public void CompactArrayLengths()
    {
        byte[] input = [0x00, 0x03, 0x01, 0x02];
        var reader = new KafkaReader(input);
        Assert.Equal(-1, reader.ReadCompactArrayLength());
        Assert.Equal(2, reader.ReadCompactArrayLength());
    }

    [Fact]
    public void HugeCompactArrayLengthIsAnError() =>
        Assert.Equal(ProtocolError.InvalidLength, ErrorOf([0xFF, 0xFF, 0xFF, 0xFF, 0x0F], (ref KafkaReader r) => r.ReadCompactArrayLength()));

    [Fact]
    public void FixedWidthReadsPastTheEndAreTruncated()
    {
        Assert.Equal(ProtocolError.Truncated, ErrorOf([0x01], (ref KafkaReader r) => r.ReadInt16()));
        Assert.Equal(ProtocolError.Truncated, ErrorOf([0x01, 0x02, 0x03], (ref KafkaReader r) => r.ReadInt32()));
        Assert.Equal(ProtocolError.Truncated, ErrorOf(new byte[7], (ref KafkaReader r) => r.ReadInt64()));
        Assert.Equal(ProtocolError.Truncated, ErrorOf(new byte[15], (ref KafkaReader r) => r.ReadUuid()));
    }

    [Fact]
    public void IntegersAreBigEndian()
    {
        byte[] input = [0x01, 0x02, 0x01, 0x02, 0x03, 0x04, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08];
        var reader = new KafkaReader(input);
        Assert.Equal(0x0102, reader.ReadInt16());
        Assert.Equal(0x01020304, reader.ReadInt32());
        Assert.Equal(0x0102030405060708L, reader.ReadInt64());
    }

    [Fact]
    public void UuidIsMostSignificantByteFirst()
    {
        var bytes = Enumerable.Range(0, 16).Select(i => (byte)i).ToArray();
        var uuid = new KafkaReader(bytes).ReadUuid();
        Assert.Equal(Guid.Parse("00010203-0405-0607-0809-0a0b0c0d0e0f"), uuid);

        var written = new byte[16];
        var writer = new KafkaWriter(written);
        writer.WriteUuid(uuid);
        Assert.Equal(bytes, written);
    }

    [Fact]
    public void RecordsFieldIsAZeroCopySlice()
    {
        byte[] input = [0x00, 0x00, 0x00, 0x03, 0x0A, 0x0B, 0x0C, 0xFF, 0xFF, 0xFF, 0xFF];
        var reader = new KafkaReader(input);
        var records = reader.ReadRecords();
        Assert.NotNull(records);
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(records.Value, out var segment));
        Assert.Same(input, segment.Array);
        Assert.Equal(4, segment.Offset);
        Assert.Null(reader.ReadRecords());
    }

    [Fact]
    public void TaggedFieldSizePastTheEndIsTruncated() =>
        Assert.Equal(ProtocolError.Truncated, ErrorOf([0x01, 0x00, 0x05, 0x01], (ref KafkaReader r) => r.SkipTaggedFields()));

    [Fact]
    public void WriterAndReaderRoundTripEveryPrimitive()
    {
        var buffer = new byte[256];
        var writer = new KafkaWriter(buffer);
        writer.WriteBool(true);
        writer.WriteInt8(-5);
        writer.WriteInt16(short.MinValue);
        writer.WriteInt32(int.MaxValue);
        writer.WriteInt64(long.MinValue);
        writer.WriteFloat64(3.5);
        writer.WriteString("héllo");
        writer.WriteNullableString(null);
        writer.WriteCompactString("wörld");
        writer.WriteCompactNullableString(null);
        writer.WriteBytes([1, 2, 3]);
        writer.WriteCompactBytes([4, 5]);
        writer.WriteCompactArrayLength(-1);
        writer.WriteUnsignedVarInt(0);
        var written = writer.Position;

        var reader = new KafkaReader(buffer.AsMemory(0, written));
        Assert.True(reader.ReadBool());
        Assert.Equal(-5, reader.ReadInt8());
        Assert.Equal(short.MinValue, reader.ReadInt16());
        Assert.Equal(int.MaxValue, reader.ReadInt32());
        Assert.Equal(long.MinValue, reader.ReadInt64());
        Assert.Equal(3.5, reader.ReadFloat64());
        Assert.Equal("héllo", reader.ReadString());
        Assert.Null(reader.ReadNullableString());
        Assert.Equal("wörld", reader.ReadCompactString());
        Assert.Null(reader.ReadCompactNullableString());
        Assert.Equal([1, 2, 3], reader.ReadBytes());
        Assert.Equal([4, 5], reader.ReadCompactBytes());
        Assert.Equal(-1, reader.ReadCompactArrayLength());
        reader.SkipTaggedFields();
        Assert.True(reader.End);
    }
}
