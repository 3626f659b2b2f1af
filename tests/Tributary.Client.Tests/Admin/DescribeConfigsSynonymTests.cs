using Tributary.Client.Admin;
using Tributary.Client.Tests.Support;
using Tributary.Protocol.Messages;

namespace Tributary.Client.Tests.Admin;

/// <summary>DescribeConfigs asks for synonyms only when told to, and maps them in the broker's order.</summary>
public sealed class DescribeConfigsSynonymTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SynonymsAreRequestedAndMapped(bool includeSynonyms)
    {
        FakeCluster? fake = null;
        fake = new FakeCluster(1, (_, request, _) => request switch
        {
            MetadataRequest => fake!.Metadata(1),
            DescribeConfigsRequest describe => new DescribeConfigsResponse
            {
                Results =
                [
                    new DescribeConfigsResponse.DescribeConfigsResult
                    {
                        ResourceType = 2,
                        ResourceName = "t",
                        Configs =
                        [
                            new DescribeConfigsResponse.DescribeConfigsResourceResult
                            {
                                Name = "cleanup.policy",
                                Value = "compact",
                                ConfigSource = 1,
                                Synonyms = describe.IncludeSynonyms
                                    ?
                                    [
                                        new DescribeConfigsResponse.DescribeConfigsSynonym { Name = "cleanup.policy", Value = "compact", Source = 1 },
                                        new DescribeConfigsResponse.DescribeConfigsSynonym { Name = "log.cleanup.policy", Value = "delete", Source = 5 },
                                    ]
                                    : [],
                            },
                        ],
                    },
                ],
            },
            _ => throw new InvalidOperationException(request.ApiKey.ToString()),
        });
        await using var admin = new KafkaAdminClient(FakeCluster.Options(fake), fake);

        var description = Assert.Single(await admin.DescribeConfigsAsync([ConfigResource.Topic("t")], includeSynonyms));

        Assert.Equal(includeSynonyms, Assert.Single(fake.RequestsOf<DescribeConfigsRequest>()).IncludeSynonyms);
        var entry = Assert.Single(description.Entries);
        Assert.Equal(ConfigSource.DynamicTopicConfig, entry.Source);
        if (includeSynonyms)
        {
            Assert.Equal([new ConfigSynonym("cleanup.policy", "compact", ConfigSource.DynamicTopicConfig), new ConfigSynonym("log.cleanup.policy", "delete", ConfigSource.DefaultConfig)],
                entry.Synonyms);
        }
        else
        {
            Assert.Empty(entry.Synonyms);
        }
    }
}
