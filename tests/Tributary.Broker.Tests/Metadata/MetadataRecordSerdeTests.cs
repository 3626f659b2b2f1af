using Tributary.Broker.Metadata;
using Tributary.Protocol.Metadata;
using Tributary.Protocol.Primitives;
using Xunit;

namespace Tributary.Broker.Tests.Metadata;

public class MetadataRecordSerdeTests
{
    [Fact]
    public void FramingIsFrameVersionTypeVersionThenBody()
    {
        var record = new TopicRecord { Name = "t", TopicId = Guid.Parse("00112233-4455-6677-8899-aabbccddeeff") };
        var bytes = MetadataRecordSerde.Serialize(record);
        // frame version 1, record type 2 (TopicRecord), version 0, then compact string "t" (len+1 = 2).
        Assert.Equal([1, 2, 0, 2, (byte)'t'], bytes[..5]);
        Assert.Equal(0x00, bytes[5]);
        Assert.Equal(0x11, bytes[6]);
        Assert.Equal(5 + 16 + 1, bytes.Length);

        var (read, version) = MetadataRecordSerde.Deserialize(bytes);
        var topic = Assert.IsType<TopicRecord>(read);
        Assert.Equal(0, version);
        Assert.Equal(record.Name, topic.Name);
        Assert.Equal(record.TopicId, topic.TopicId);
    }

    [Fact]
    public void PartitionRecordsAreWrittenAtVersionZeroOthersAtTheirNewest()
    {
        Assert.Equal(0, MetadataRecordSerde.VersionFor(new PartitionRecord()));
        Assert.Equal(new RegisterBrokerRecord().HighestSupportedVersion, MetadataRecordSerde.VersionFor(new RegisterBrokerRecord()));
        var bytes = MetadataRecordSerde.Serialize(new PartitionRecord { PartitionId = 3, Replicas = [1, 2], Isr = [1], Leader = 1 });
        var (read, version) = MetadataRecordSerde.Deserialize(bytes);
        var p = Assert.IsType<PartitionRecord>(read);
        Assert.Equal(0, version);
        Assert.Equal([1, 2], p.Replicas);
    }

    [Fact]
    public void MalformedFramesAreProtocolErrors()
    {
        var good = MetadataRecordSerde.Serialize(new NoOpRecord());
        var badFrame = (byte[])good.Clone();
        badFrame[0] = 2;
        Assert.Throws<ProtocolException>(() => MetadataRecordSerde.Deserialize(badFrame));
        Assert.Throws<ProtocolException>(() => MetadataRecordSerde.Deserialize(new byte[] { 1, 99, 0 }));
        Assert.Throws<ProtocolException>(() => MetadataRecordSerde.Deserialize(new byte[] { 1, 2, 9 }));
        Assert.Throws<ProtocolException>(() => MetadataRecordSerde.Deserialize(good.Append((byte)0).ToArray()));
        Assert.Throws<ProtocolException>(() => MetadataRecordSerde.Deserialize(new byte[] { 1 }));
    }
}
