using Tributary.Protocol.Messages;
using Xunit;

namespace Tributary.Protocol.Tests.GoldenVectors;

/// <summary>Produce v9 request carrying one v2 record batch with one record (value "hi").</summary>
public sealed class ProduceGoldenTests
{
    // A magic-2 record batch, 70 bytes, as a producer would send it.
    private static readonly byte[] Batch =
    [
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // base_offset = 0
        0x00, 0x00, 0x00, 0x3a,                         // batch_length = 58 (bytes after this field)
        0xff, 0xff, 0xff, 0xff,                         // partition_leader_epoch = -1
        0x02,                                           // magic = 2
        0xbb, 0xcc, 0x41, 0x15,                         // crc: CRC-32C of attributes..end
        0x00, 0x00,                                     // attributes: no compression, not transactional
        0x00, 0x00, 0x00, 0x00,                         // last_offset_delta = 0
        0x00, 0x00, 0x01, 0x8b, 0xcf, 0xe5, 0x68, 0x00, // base_timestamp = 1700000000000
        0x00, 0x00, 0x01, 0x8b, 0xcf, 0xe5, 0x68, 0x00, // max_timestamp = 1700000000000
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, // producer_id = -1
        0xff, 0xff,                                     // producer_epoch = -1
        0xff, 0xff, 0xff, 0xff,                         // base_sequence = -1
        0x00, 0x00, 0x00, 0x01,                         // records count = 1
        0x10,                                           // record length: zig-zag varint 8
        0x00,                                           //   attributes
        0x00,                                           //   timestamp_delta = 0
        0x00,                                           //   offset_delta = 0
        0x01,                                           //   key length = -1 (null key)
        0x04,                                           //   value length = 2
        0x68, 0x69,                                     //   "hi"
        0x00,                                           //   headers count = 0
    ];

    private static readonly byte[] HeaderAndBodyPrefix =
    [
        0x00, 0x00,             // request_api_key = 0 (Produce)
        0x00, 0x09,             // request_api_version = 9 (first flexible version)
        0x00, 0x00, 0x00, 0x09, // correlation_id = 9
        0x00, 0x03,             // client_id: int16 length 3
        0x63, 0x6c, 0x69,       //   "cli"
        0x00,                   // header tagged fields
        0x00,                   // transactional_id = null (compact length 0)
        0xff, 0xff,             // acks = -1 (all in-sync replicas)
        0x00, 0x00, 0x75, 0x30, // timeout_ms = 30000
        0x02,                   // topic_data: compact array, 1 + 1
        0x02, 0x74,             //   name: compact string "t"
        0x02,                   //   partition_data: compact array, 1 + 1
        0x00, 0x00, 0x00, 0x00, //     index = 0
        0x47,                   //     records: compact length 70 + 1, then the batch
    ];

    private static readonly byte[] Suffix =
    [
        0x00,                   //     partition tagged fields
        0x00,                   //   topic tagged fields
        0x00,                   // body tagged fields
    ];

    private static byte[] RequestV9 => [.. HeaderAndBodyPrefix, .. Batch, .. Suffix];

    [Fact]
    public void RequestV9MatchesTheGuide()
    {
        var request = new ProduceRequest
        {
            TransactionalId = null,
            Acks = -1,
            TimeoutMs = 30000,
            TopicData = [new() { Name = "t", PartitionData = [new() { Index = 0, Records = Batch }] }],
        };
        Assert.Equal(RequestV9, Frames.Request(request, 9, 9, "cli"));
    }

    [Fact]
    public void RecordsAreReadAsAZeroCopySliceOfTheFrame()
    {
        var frame = RequestV9;
        var (header, body) = RequestFrameReader.Read(frame);
        Assert.Equal((0, 9, 9), (header.RequestApiKey, header.RequestApiVersion, header.CorrelationId));
        var produce = Assert.IsType<ProduceRequest>(body);
        Assert.Equal((short)-1, produce.Acks);
        var records = Assert.Single(Assert.Single(produce.TopicData).PartitionData).Records!.Value;
        Assert.Equal(Batch, records.ToArray());

        // Same memory, not a copy: the slice starts right after the compact length byte.
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(records, out var segment));
        Assert.Same(frame, segment.Array);
        Assert.Equal(HeaderAndBodyPrefix.Length, segment.Offset);
    }
}
