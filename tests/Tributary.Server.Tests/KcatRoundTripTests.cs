using System.Globalization;
using System.Text;
using Tributary.Server.Tests.Support;
using Tributary.TestSupport;

namespace Tributary.Server.Tests;

/// <summary>kcat (librdkafka's CLI) produces 10,000 keyed records with headers and reads them back.</summary>
public sealed class KcatRoundTripTests : IClassFixture<BrokerFixture>
{
    private const int RecordCount = 10_000;
    private readonly BrokerFixture _fixture;

    public KcatRoundTripTests(BrokerFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task TenThousandKeyedRecordsWithHeadersRoundTrip()
    {
        var bootstrap = _fixture.Broker.BootstrapServers;
        var topic = Topics.UniqueName("kcat");
        await Topics.CreateAsync(bootstrap, topic, 3);

        var input = new StringBuilder();
        for (var i = 0; i < RecordCount; i++)
        {
            input.Append(CultureInfo.InvariantCulture, $"{KeyOf(i)}\tv-{i}\n");
        }

        var produce = await RealClients.RunKcatAsync(["-P", "-b", bootstrap, "-t", topic, "-K", "\t", "-H", "origin=kcat", "-X", "acks=all"], input.ToString(), TimeSpan.FromSeconds(60));
        Assert.True(produce.Succeeded, produce.ToString());

        var consume = await RealClients.RunKcatAsync(["-C", "-b", bootstrap, "-t", topic, "-o", "beginning", "-e", "-q", "-f", "%p\t%k\t%s\t%h\n"], null, TimeSpan.FromSeconds(60));
        Assert.True(consume.Succeeded, consume.ToString());
        var consumed = consume.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t'))
            .Select(f => (int.Parse(f[0], CultureInfo.InvariantCulture), f[1], SequenceCheck.ParseSeq(f[2]), f[3]))
            .ToList();
        SequenceCheck.AssertExactlyOnceInPartitionOrder(RecordCount, consumed, KeyOf, "origin=kcat");
    }

    private static string KeyOf(int i) => "k" + (i % 101).ToString(CultureInfo.InvariantCulture);
}
