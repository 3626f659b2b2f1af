using System.Globalization;

namespace Tributary.TestSupport;

/// <summary>
/// Captures record batches compressed by a real client: kcat produces <see cref="Records"/>
/// (with <see cref="Headers"/> on each) to librdkafka's mock cluster, then a raw Fetch v4 takes
/// the batch bytes exactly as stored. tools/capture-batches.sh saves them as test data.
/// </summary>
public static class KcatCapture
{
    /// <summary>kcat's names for the four codecs, in Kafka id order (1-4).</summary>
    public static IReadOnlyList<string> Codecs { get; } = ["gzip", "snappy", "lz4", "zstd"];

    /// <summary>The records kcat is given; values repeat so compression has something to do.</summary>
    public static IReadOnlyList<SampleRecord> Records { get; } = Enumerable.Range(1, 5)
        .Select(i => new SampleRecord(
            $"key-{i}",
            string.Concat(Enumerable.Repeat($"tributary value {i.ToString(CultureInfo.InvariantCulture)} ", 6)).TrimEnd()))
        .ToArray();

    /// <summary>Headers kcat puts on every record (-H name=value).</summary>
    public static IReadOnlyList<(string Key, string Value)> Headers { get; } = [("trace-id", "4bf92f3577b34da6"), ("origin", "kcat")];

    /// <summary>File name of a captured batch inside tests/Tributary.Protocol.Tests/TestData.</summary>
    public static string FileName(string codec) => $"kcat-{codec}.bin";

    /// <summary>Produces the sample with kcat using <paramref name="codec"/> and returns the stored batch bytes.</summary>
    public static async Task<byte[]> CaptureAsync(MockKafkaCluster cluster, string codec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var topic = $"capture-{codec}";
        List<string> arguments = ["-P", "-b", cluster.FirstBroker, "-t", topic, "-p", "0", "-z", codec, "-K", ":",
            "-X", "linger.ms=200", "-X", "api.version.request=true"];
        foreach (var (key, value) in Headers)
        {
            arguments.Add("-H");
            arguments.Add($"{key}={value}");
        }

        var input = string.Concat(Records.Select(r => $"{r.Key}:{r.Value}\n"));
        var produced = await RealClients.RunKcatAsync(arguments, input, TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        if (!produced.Succeeded)
        {
            throw new InvalidOperationException($"kcat produce failed: {produced}");
        }

        var fetched = await RawKafkaClient.FetchAsync(cluster.FirstBroker, topic, 0, 0, cancellationToken).ConfigureAwait(false);
        if (fetched.ErrorCode != 0 || fetched.Records.Length == 0)
        {
            throw new InvalidOperationException($"fetch of {topic} returned error {fetched.ErrorCode} with {fetched.Records.Length} bytes");
        }

        return fetched.Records;
    }
}
