using Tributary.Protocol.Messages;
using Tributary.Protocol.Primitives;
using Xunit;

namespace Tributary.Protocol.Tests.Fuzzing;

/// <summary>Specific malformed inputs and the typed errors they must raise.</summary>
public sealed class BadInputTests
{
    private static (RequestHeader Header, IApiRequest Body) Parse(byte[] frame) => RequestFrameReader.Read(frame);

    private static ProtocolError ErrorOf(byte[] frame) =>
        Assert.Throws<ProtocolException>(() => RequestFrameReader.Read(frame)).Error;

    [Fact]
    public void TruncatedRequestsAreRejected()
    {
        foreach (var frame in FrameCorpus.Requests)
        {
            foreach (var length in TruncationLengths(frame.Length))
            {
                var truncated = frame.AsSpan(0, length).ToArray();
                Assert.Throws<ProtocolException>(() => RequestFrameReader.Read(truncated));
            }
        }
    }

    [Fact]
    public void TruncatedResponsesAreRejected()
    {
        foreach (var (key, version, body) in FrameCorpus.Responses)
        {
            foreach (var length in TruncationLengths(body.Length))
            {
                var truncated = body.AsMemory(0, length);
                Assert.Throws<ProtocolException>(() =>
                {
                    var reader = new KafkaReader(truncated);
                    ApiKeys.CreateResponse(key).Read(ref reader, version);
                });
            }
        }
    }

    /// <summary>
    /// Every length for short frames; for long ones the first and last 16 plus a stride through the
    /// middle (exceptions are slow, and each cut in a run of fixed fields tests the same thing).
    /// </summary>
    private static IEnumerable<int> TruncationLengths(int length)
    {
        var stride = Math.Max(1, length / 32);
        for (var cut = 0; cut < length; cut++)
        {
            if (cut < 16 || cut >= length - 16 || cut % stride == 0)
            {
                yield return cut;
            }
        }
    }

    [Theory]
    [InlineData((short)-1)]
    [InlineData((short)88)]
    [InlineData((short)1000)]
    [InlineData(short.MinValue)]
    public void UnknownApiKeysAreRejected(short key)
    {
        byte[] frame = [(byte)(key >> 8), (byte)key, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0xff, 0xff];
        Assert.Equal(ProtocolError.UnsupportedApiKey, ErrorOf(frame));
    }

    [Fact]
    public void UnsupportedVersionsAreRejectedAfterTheHeaderIsRead()
    {
        // ApiVersions v99: flexible, so header v2. The header parses (a broker can answer with
        // UNSUPPORTED_VERSION and the correlation id); the body does not.
        byte[] frame = [0x00, 0x12, 0x00, 0x63, 0x00, 0x00, 0x00, 0x05, 0xff, 0xff, 0x00];
        var reader = new KafkaReader(frame);
        var header = RequestFrameReader.ReadHeader(ref reader);
        Assert.Equal(5, header.CorrelationId);
        var bodyStart = reader.Position;
        var error = Assert.Throws<ProtocolException>(() =>
        {
            var body = new KafkaReader(frame.AsMemory(bodyStart));
            RequestFrameReader.ReadBody(ref body, header);
        }).Error;
        Assert.Equal(ProtocolError.UnsupportedVersion, error);

        byte[] negative = [0x00, 0x00, 0xff, 0xff, 0x00, 0x00, 0x00, 0x05, 0xff, 0xff];
        Assert.Equal(ProtocolError.UnsupportedVersion, ErrorOf(negative));
    }

    [Fact]
    public void ShortHeadersAreTruncated()
    {
        Assert.Equal(ProtocolError.Truncated, ErrorOf([]));
        Assert.Equal(ProtocolError.Truncated, ErrorOf([0x00]));
        Assert.Equal(ProtocolError.Truncated, ErrorOf([0x00, 0x12, 0x00]));
        Assert.Equal(ProtocolError.Truncated, ErrorOf([0x00, 0x12, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00]));
    }

    [Theory]
    [InlineData(new byte[] { 0xff, 0xfe })] // int16 string length -2
    [InlineData(new byte[] { 0x80, 0x00 })] // int16 string length -32768
    public void NegativeClassicStringLengthsAreInvalid(byte[] clientIdLength)
    {
        byte[] frame = [0x00, 0x12, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, .. clientIdLength, 0x41];
        Assert.Equal(ProtocolError.InvalidLength, ErrorOf(frame));
    }

    [Fact]
    public void ClassicArrayLengthsMustBeMinusOneOrFitTheBuffer()
    {
        // Metadata v1 request: header v1 (null client id), then topics int32 count.
        byte[] header = [0x00, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0xff, 0xff];
        Assert.Equal(ProtocolError.InvalidLength, ErrorOf([.. header, 0xff, 0xff, 0xff, 0xfe]));  // -2
        Assert.Equal(ProtocolError.InvalidLength, ErrorOf([.. header, 0x80, 0x00, 0x00, 0x00]));  // int.MinValue
        Assert.Equal(ProtocolError.InvalidLength, ErrorOf([.. header, 0x7f, 0xff, 0xff, 0xff]));  // 2^31-1 elements in 0 bytes
        var nullTopics = Assert.IsType<MetadataRequest>(Parse([.. header, 0xff, 0xff, 0xff, 0xff]).Body);
        Assert.Null(nullTopics.Topics); // -1 is null, which v1 allows
    }

    [Fact]
    public void NullWhereAVersionForbidsItIsInvalid()
    {
        // Metadata v0: topics is not nullable before v1.
        byte[] frame = [0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff];
        Assert.Equal(ProtocolError.InvalidLength, ErrorOf(frame));
    }

    [Fact]
    public void HugeAndOverlongVarintsAreRejected()
    {
        // Metadata v12 request: header v2 (null client id, no tags), then the compact topics length.
        byte[] header = [0x00, 0x03, 0x00, 0x0c, 0x00, 0x00, 0x00, 0x01, 0xff, 0xff, 0x00];
        Assert.Equal(ProtocolError.InvalidVarint, ErrorOf([.. header, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]));   // six bytes
        Assert.Equal(ProtocolError.InvalidVarint, ErrorOf([.. header, 0xff, 0xff, 0xff, 0xff, 0x7f]));         // beyond 32 bits
        Assert.Equal(ProtocolError.InvalidLength, ErrorOf([.. header, 0xff, 0xff, 0xff, 0xff, 0x0f]));         // 2^32-1
        Assert.Equal(ProtocolError.InvalidLength, ErrorOf([.. header, 0xff, 0xff, 0xff, 0x7f]));               // 268M elements, 0 bytes
        Assert.Equal(ProtocolError.Truncated, ErrorOf([.. header, 0x80]));                                     // ends inside the varint
    }

    [Fact]
    public void TaggedFieldsMustFitAndMatchTheirSize()
    {
        // ApiVersions v3 request: header v2, two empty compact strings, then the tagged section.
        byte[] prefix = [0x00, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0xff, 0xff, 0x00, 0x01, 0x01];
        Assert.Equal(ProtocolError.Truncated, ErrorOf([.. prefix, 0x01, 0x05, 0x10, 0x00]));     // size 16, 1 byte left
        Assert.Equal(ProtocolError.InvalidLength, ErrorOf([.. prefix, 0x7f]));                   // 127 fields in 0 bytes
        Assert.IsType<ApiVersionsRequest>(Parse([.. prefix, 0x01, 0x05, 0x01, 0xaa]).Body); // unknown tag skipped

        // Fetch v12 ClusterId (tag 0) declared as 4 bytes but holding a 2-byte compact string.
        var fetch = new FetchRequest { Topics = [] };
        var body = MessageSerializer.ToArray(fetch, 12);
        byte[] fetchHeader = [0x00, 0x01, 0x00, 0x0c, 0x00, 0x00, 0x00, 0x01, 0xff, 0xff, 0x00];
        byte[] bad = [.. fetchHeader, .. body.AsSpan(0, body.Length - 1), 0x01, 0x00, 0x04, 0x02, 0x41, 0x00, 0x00];
        Assert.Equal(ProtocolError.InvalidLength, ErrorOf(bad));
    }

    [Fact]
    public void InvalidUtf8IsAnInvalidString()
    {
        byte[] frame = [0x00, 0x12, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x02, 0xc3, 0x28];
        Assert.Equal(ProtocolError.InvalidString, ErrorOf(frame));
    }

    [Fact]
    public void NegativeBytesAndRecordsLengthsAreInvalid()
    {
        // Produce v3 (classic): header v1, transactional_id null, acks, timeout, 1 topic "t", 1 partition, records length.
        byte[] prefix =
        [
            0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0xff, 0xff,
            0xff, 0xff, 0x00, 0x01, 0x00, 0x00, 0x03, 0xe8,
            0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x74, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
        ];
        Assert.Equal(ProtocolError.InvalidLength, ErrorOf([.. prefix, 0xff, 0xff, 0xff, 0xfe]));
        Assert.Equal(ProtocolError.Truncated, ErrorOf([.. prefix, 0x7f, 0xff, 0xff, 0xff]));
        var nullRecords = Assert.IsType<ProduceRequest>(Parse([.. prefix, 0xff, 0xff, 0xff, 0xff]).Body);
        Assert.Null(nullRecords.TopicData[0].PartitionData[0].Records);
    }
}
