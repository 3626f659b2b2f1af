using Tributary.Protocol.Messages;
using Xunit;

namespace Tributary.Protocol.Tests.GoldenVectors;

/// <summary>Metadata v12 request (flexible: request header v2, compact encodings, tagged sections).</summary>
public sealed class MetadataGoldenTests
{
    private static readonly byte[] RequestV12 =
    [
        0x00, 0x03,             // request_api_key = 3 (Metadata)
        0x00, 0x0c,             // request_api_version = 12
        0x00, 0x00, 0x00, 0x07, // correlation_id = 7
        0x00, 0x03,             // client_id: int16 length 3
        0x63, 0x6c, 0x69,       //   "cli"
        0x00,                   // header tagged fields: none
        0x02,                   // topics: compact array, 1 + 1
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, //   topic_id: zero uuid (look up by name)
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x07,                   //   name: compact nullable string, length 6 + 1
        0x6f, 0x72, 0x64, 0x65, 0x72, 0x73, // "orders"
        0x00,                   //   topic tagged fields: none
        0x01,                   // allow_auto_topic_creation = true
                                // include_cluster_authorized_operations exists only in v8-v10
        0x00,                   // include_topic_authorized_operations = false
        0x00,                   // body tagged fields: none
    ];

    private static readonly byte[] AllTopicsRequestV12 =
    [
        0x00, 0x03, 0x00, 0x0c, 0x00, 0x00, 0x00, 0x08, // key 3, version 12, correlation_id 8
        0xff, 0xff,             // client_id = null (int16 length -1)
        0x00,                   // header tagged fields
        0x00,                   // topics = null (compact length 0): all topics
        0x00,                   // allow_auto_topic_creation = false
        0x01,                   // include_topic_authorized_operations = true
        0x00,                   // body tagged fields
    ];

    [Fact]
    public void RequestV12MatchesTheGuide()
    {
        var request = new MetadataRequest
        {
            Topics = [new() { TopicId = Guid.Empty, Name = "orders" }],
            AllowAutoTopicCreation = true,
            IncludeClusterAuthorizedOperations = true, // not carried by v12: must not be written
        };
        Assert.Equal(RequestV12, Frames.Request(request, 12, 7, "cli"));

        var (header, body) = RequestFrameReader.Read(RequestV12);
        Assert.Equal((3, 12, 7), (header.RequestApiKey, header.RequestApiVersion, header.CorrelationId));
        var parsed = Assert.IsType<MetadataRequest>(body);
        Assert.Equal("orders", Assert.Single(parsed.Topics!).Name);
        Assert.True(parsed.AllowAutoTopicCreation);
        Assert.False(parsed.IncludeClusterAuthorizedOperations);
    }

    [Fact]
    public void NullTopicsAndNullClientIdMatchTheGuide()
    {
        var request = new MetadataRequest { Topics = null, AllowAutoTopicCreation = false, IncludeTopicAuthorizedOperations = true };
        Assert.Equal(AllTopicsRequestV12, Frames.Request(request, 12, 8, null));

        var (header, body) = RequestFrameReader.Read(AllTopicsRequestV12);
        Assert.Null(header.ClientId);
        var parsed = Assert.IsType<MetadataRequest>(body);
        Assert.Null(parsed.Topics);
        Assert.True(parsed.IncludeTopicAuthorizedOperations);
    }
}
