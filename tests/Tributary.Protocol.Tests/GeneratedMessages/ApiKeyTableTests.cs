using Tributary.Protocol.Messages;
using Tributary.Protocol.Metadata;
using Tributary.Protocol.Primitives;
using Xunit;

namespace Tributary.Protocol.Tests.GeneratedMessages;

/// <summary>The generated API-key table, factories and the header-version rules.</summary>
public sealed class ApiKeyTableTests
{
    [Fact]
    public void TableHasEveryKeyFromZeroTo87()
    {
        Assert.Equal(88, ApiKeys.Count);
        Assert.Equal(Enumerable.Range(0, 88), ApiKeys.All.Select(i => (int)i.Key));
        Assert.Equal(ApiKey.Produce, (ApiKey)0);
        Assert.Equal(ApiKey.ApiVersions, (ApiKey)18);
        Assert.Equal((ApiKey)87, Enum.GetValues<ApiKey>().Max());
    }

    [Fact]
    public void EntriesMatchTheMessages()
    {
        foreach (var info in ApiKeys.All)
        {
            var request = ApiKeys.CreateRequest(info.Key);
            var response = ApiKeys.CreateResponse(info.Key);
            Assert.Equal(info.Key, request.ApiKey);
            Assert.Equal(info.Key, response.ApiKey);
            Assert.Equal(info.Name + "Request", request.GetType().Name);
            Assert.Equal(info.Name + "Response", response.GetType().Name);
            Assert.Equal(info.LowestVersion, request.LowestSupportedVersion);
            Assert.Equal(info.HighestVersion, request.HighestSupportedVersion);
            Assert.Equal(info.HighestVersion, response.HighestSupportedVersion);
            Assert.NotEqual(ApiListeners.None, info.Listeners);
        }
    }

    [Fact]
    public void KnownRowsMatchTheSchemas()
    {
        var produce = ApiKeys.Get(ApiKey.Produce);
        Assert.Equal(("Produce", 0, 11, 9), (produce.Name, (int)produce.LowestVersion, (int)produce.HighestVersion, (int)produce.FirstFlexibleVersion));
        Assert.Equal(ApiListeners.ZkBroker | ApiListeners.Broker, produce.Listeners);

        var fetch = ApiKeys.Get(ApiKey.Fetch);
        Assert.Equal((0, 17, 12), ((int)fetch.LowestVersion, (int)fetch.HighestVersion, (int)fetch.FirstFlexibleVersion));

        var apiVersions = ApiKeys.Get(ApiKey.ApiVersions);
        Assert.Equal((0, 4, 3), ((int)apiVersions.LowestVersion, (int)apiVersions.HighestVersion, (int)apiVersions.FirstFlexibleVersion));
        Assert.True(apiVersions.Listeners.HasFlag(ApiListeners.Controller));

        Assert.Equal(3, ApiKeys.Get(ApiKey.ControlledShutdown).FirstFlexibleVersion);
        Assert.Equal(-1, ApiKeys.Get(ApiKey.SaslHandshake).FirstFlexibleVersion);
        Assert.False(ApiKeys.Get(ApiKey.SaslHandshake).IsFlexible(1));
        Assert.True(ApiKeys.Get(ApiKey.Metadata).IsFlexible(9));
        Assert.False(ApiKeys.Get(ApiKey.Metadata).IsFlexible(8));
    }

    [Theory]
    [InlineData((short)-1)]
    [InlineData((short)88)]
    [InlineData(short.MaxValue)]
    public void UnknownKeysAreProtocolErrors(short key)
    {
        Assert.False(ApiKeys.TryGet(key, out _));
        Assert.Equal(ProtocolError.UnsupportedApiKey, Assert.Throws<ProtocolException>(() => ApiKeys.CreateRequest((ApiKey)key)).Error);
        Assert.Equal(ProtocolError.UnsupportedApiKey, Assert.Throws<ProtocolException>(() => ApiKeys.CreateResponse((ApiKey)key)).Error);
        Assert.Equal(ProtocolError.UnsupportedApiKey, Assert.Throws<ProtocolException>(() => ApiKeys.Get((ApiKey)key)).Error);
    }

    [Theory]
    [InlineData(ApiKey.Produce, 8, 1, 0)]
    [InlineData(ApiKey.Produce, 9, 2, 1)]
    [InlineData(ApiKey.Metadata, 12, 2, 1)]
    [InlineData(ApiKey.Fetch, 11, 1, 0)]
    [InlineData(ApiKey.ApiVersions, 2, 1, 0)]
    [InlineData(ApiKey.ApiVersions, 3, 2, 0)]
    [InlineData(ApiKey.ApiVersions, 4, 2, 0)]
    [InlineData(ApiKey.ControlledShutdown, 0, 0, 0)]
    [InlineData(ApiKey.ControlledShutdown, 1, 1, 0)]
    [InlineData(ApiKey.ControlledShutdown, 3, 2, 1)]
    [InlineData(ApiKey.SaslHandshake, 1, 1, 0)]
    public void HeaderVersionsFollowKafkasRules(ApiKey key, short apiVersion, short requestHeader, short responseHeader)
    {
        Assert.Equal(requestHeader, ApiHeaderVersions.RequestHeaderVersion(key, apiVersion));
        Assert.Equal(responseHeader, ApiHeaderVersions.ResponseHeaderVersion(key, apiVersion));
    }

    [Fact]
    public void EveryFlexibleVersionUsesFlexibleHeadersExceptApiVersionsResponses()
    {
        foreach (var info in ApiKeys.All)
        {
            for (var v = info.LowestVersion; v <= info.HighestVersion; v++)
            {
                var flexible = info.IsFlexible(v);
                var expectedRequest = flexible ? 2 : info.Key == ApiKey.ControlledShutdown && v == 0 ? 0 : 1;
                var expectedResponse = flexible && info.Key != ApiKey.ApiVersions ? 1 : 0;
                Assert.Equal(expectedRequest, ApiHeaderVersions.RequestHeaderVersion(info.Key, v));
                Assert.Equal(expectedResponse, ApiHeaderVersions.ResponseHeaderVersion(info.Key, v));
            }
        }
    }

    [Fact]
    public void MetadataRecordFactoryCoversEveryRecordType()
    {
        foreach (var type in Enum.GetValues<MetadataRecordType>())
        {
            Assert.True(MetadataRecords.TryCreate((short)type, out var record));
            Assert.Equal(type, record.RecordType);
            Assert.Equal(type.ToString(), record.GetType().Name);
        }

        Assert.Equal(2, (short)MetadataRecordType.TopicRecord);
        Assert.False(MetadataRecords.TryCreate(-1, out _));
        Assert.False(MetadataRecords.TryCreate(1000, out _));
    }

    [Fact]
    public void MapKeyFindReturnsTheMatchingElement()
    {
        var topics = new List<MetadataResponse.MetadataResponseTopic>
        {
            new() { Name = "a" },
            new() { Name = "b", ErrorCode = 3 },
        };
        Assert.Equal(3, MetadataResponse.MetadataResponseTopic.Find(topics, "b")!.ErrorCode);
        Assert.Null(MetadataResponse.MetadataResponseTopic.Find(topics, "c"));

        var configs = new List<IncrementalAlterConfigsRequest.AlterableConfig>
        {
            new() { Name = "x", ConfigOperation = 0 },
            new() { Name = "x", ConfigOperation = 1, Value = "v" },
        };
        Assert.Equal("v", IncrementalAlterConfigsRequest.AlterableConfig.Find(configs, "x", 1)!.Value);
    }
}
