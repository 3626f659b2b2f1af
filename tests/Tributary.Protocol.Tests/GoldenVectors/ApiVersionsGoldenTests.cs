using Tributary.Protocol.Messages;
using Xunit;

namespace Tributary.Protocol.Tests.GoldenVectors;

/// <summary>
/// ApiVersions frames written byte by byte from the Kafka protocol guide. Note the response
/// header: ApiVersions responses always use header v0 (just the correlation id), even at v3+.
/// </summary>
public sealed class ApiVersionsGoldenTests
{
    private static readonly byte[] RequestV0 =
    [
        0x00, 0x12,             // request_api_key = 18 (ApiVersions)
        0x00, 0x00,             // request_api_version = 0
        0x00, 0x00, 0x00, 0x01, // correlation_id = 1
        0x00, 0x03,             // client_id: int16 length 3 (header v1)
        0x63, 0x6c, 0x69,       //   "cli"
                                // v0 body is empty
    ];

    private static readonly byte[] RequestV3 =
    [
        0x00, 0x12,             // request_api_key = 18
        0x00, 0x03,             // request_api_version = 3
        0x00, 0x00, 0x00, 0x02, // correlation_id = 2
        0x00, 0x03,             // client_id keeps the int16 length even in header v2 (flexibleVersions "none")
        0x63, 0x6c, 0x69,       //   "cli"
        0x00,                   // header tagged fields: none
        0x05,                   // client_software_name: compact string, length 4 + 1
        0x6b, 0x63, 0x61, 0x74, //   "kcat"
        0x04,                   // client_software_version: compact string, length 3 + 1
        0x31, 0x2e, 0x37,       //   "1.7"
        0x00,                   // body tagged fields: none
    ];

    private static readonly byte[] ResponseV0 =
    [
        0x00, 0x00, 0x00, 0x01, // response header v0: correlation_id = 1
        0x00, 0x00,             // error_code = 0
        0x00, 0x00, 0x00, 0x02, // api_keys: int32 count 2
        0x00, 0x00,             //   api_key = 0 (Produce)
        0x00, 0x00,             //   min_version = 0
        0x00, 0x0b,             //   max_version = 11
        0x00, 0x12,             //   api_key = 18 (ApiVersions)
        0x00, 0x00,             //   min_version = 0
        0x00, 0x04,             //   max_version = 4
                                // no throttle_time_ms before v1
    ];

    private static readonly byte[] ResponseV3 =
    [
        0x00, 0x00, 0x00, 0x02, // response header v0 (always, for ApiVersions): correlation_id = 2
        0x00, 0x00,             // error_code = 0
        0x03,                   // api_keys: compact array, 2 + 1
        0x00, 0x00,             //   api_key = 0
        0x00, 0x00,             //   min_version = 0
        0x00, 0x0b,             //   max_version = 11
        0x00,                   //   element tagged fields: none
        0x00, 0x12,             //   api_key = 18
        0x00, 0x00,             //   min_version = 0
        0x00, 0x04,             //   max_version = 4
        0x00,                   //   element tagged fields: none
        0x00, 0x00, 0x00, 0x00, // throttle_time_ms = 0
        0x02,                   // tagged fields: 2, in ascending tag order
        0x00,                   //   tag 0: supported_features
        0x14,                   //   size 20
        0x02,                   //     compact array, 1 + 1
        0x0e,                   //     name: compact string, length 13 + 1
        0x6b, 0x72, 0x61, 0x66, 0x74, 0x2e, 0x76, 0x65, 0x72, 0x73, 0x69, 0x6f, 0x6e, // "kraft.version"
        0x00, 0x00,             //     min_version = 0
        0x00, 0x01,             //     max_version = 1
        0x00,                   //     element tagged fields: none
        0x01,                   //   tag 1: finalized_features_epoch
        0x08,                   //   size 8
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, // epoch = 5
                                // finalized_features (empty) and zk_migration_ready (false) hold
                                // their defaults, so they are not written
    ];

    [Fact]
    public void RequestV0MatchesTheGuide()
    {
        Assert.Equal(RequestV0, Frames.Request(new ApiVersionsRequest(), 0, 1, "cli"));

        var (header, body) = RequestFrameReader.Read(RequestV0);
        Assert.Equal((18, 0, 1, "cli"), (header.RequestApiKey, header.RequestApiVersion, header.CorrelationId, header.ClientId));
        Assert.IsType<ApiVersionsRequest>(body);
    }

    [Fact]
    public void RequestV3MatchesTheGuide()
    {
        var request = new ApiVersionsRequest { ClientSoftwareName = "kcat", ClientSoftwareVersion = "1.7" };
        Assert.Equal(RequestV3, Frames.Request(request, 3, 2, "cli"));

        var (header, body) = RequestFrameReader.Read(RequestV3);
        Assert.Equal((3, 2, "cli"), (header.RequestApiVersion, header.CorrelationId, header.ClientId));
        var parsed = Assert.IsType<ApiVersionsRequest>(body);
        Assert.Equal(("kcat", "1.7"), (parsed.ClientSoftwareName, parsed.ClientSoftwareVersion));
    }

    [Fact]
    public void ResponseV0MatchesTheGuide()
    {
        Assert.Equal(ResponseV0, Frames.Response(Response(withFeatures: false), 0, 1));

        var (header, body) = Frames.ReadResponse<ApiVersionsResponse>(ResponseV0, 0);
        Assert.Equal(1, header.CorrelationId);
        Assert.Equal(11, ApiVersionsResponse.ApiVersion.Find(body.ApiKeys, 0)!.MaxVersion);
        Assert.Equal(4, ApiVersionsResponse.ApiVersion.Find(body.ApiKeys, 18)!.MaxVersion);
    }

    [Fact]
    public void ResponseV3UsesHeaderV0AndTaggedFields()
    {
        Assert.Equal(ResponseV3, Frames.Response(Response(withFeatures: true), 3, 2));

        var (header, body) = Frames.ReadResponse<ApiVersionsResponse>(ResponseV3, 3);
        Assert.Equal(2, header.CorrelationId);
        Assert.Equal(5, body.FinalizedFeaturesEpoch);
        Assert.Equal("kraft.version", Assert.Single(body.SupportedFeatures).Name);
        Assert.Empty(body.FinalizedFeatures);
        Assert.False(body.ZkMigrationReady);
    }

    [Fact]
    public void UnknownTaggedFieldsAreSkipped()
    {
        // ResponseV3 with a third tagged field, tag 9 (unknown), inserted after the known ones.
        var frame = ResponseV3.ToList();
        var tagCountIndex = 4 + 2 + 1 + 7 + 7 + 4;
        frame[tagCountIndex] = 0x03;
        frame.AddRange([0x09, 0x03, 0xaa, 0xbb, 0xcc]);

        var (_, body) = Frames.ReadResponse<ApiVersionsResponse>([.. frame], 3);
        Assert.Equal(5, body.FinalizedFeaturesEpoch);
        Assert.Single(body.SupportedFeatures);
    }

    private static ApiVersionsResponse Response(bool withFeatures)
    {
        var response = new ApiVersionsResponse
        {
            ApiKeys =
            [
                new() { ApiKey = 0, MinVersion = 0, MaxVersion = 11 },
                new() { ApiKey = 18, MinVersion = 0, MaxVersion = 4 },
            ],
        };
        if (withFeatures)
        {
            response.SupportedFeatures.Add(new() { Name = "kraft.version", MinVersion = 0, MaxVersion = 1 });
            response.FinalizedFeaturesEpoch = 5;
        }

        return response;
    }
}
