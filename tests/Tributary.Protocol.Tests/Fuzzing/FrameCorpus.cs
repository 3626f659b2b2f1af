using Tributary.Protocol.Messages;
using Tributary.Protocol.Primitives;
using Tributary.Protocol.Tests.GeneratedMessages;

namespace Tributary.Protocol.Tests.Fuzzing;

/// <summary>Valid request frames (header + body) of every API key at every version, as fuzz seeds.</summary>
internal static class FrameCorpus
{
    public static IReadOnlyList<byte[]> Requests { get; } = BuildRequests();

    /// <summary>(key, version, body) for valid response bodies of every key at every version.</summary>
    public static IReadOnlyList<(ApiKey Key, short Version, byte[] Body)> Responses { get; } = BuildResponses();

    private static List<byte[]> BuildRequests()
    {
        var frames = new List<byte[]>();
        var correlation = 0;
        foreach (var info in ApiKeys.All)
        {
            for (var v = info.LowestVersion; v <= info.HighestVersion; v++)
            {
                foreach (var nulls in new[] { false, true })
                {
                    var body = ApiKeys.CreateRequest(info.Key);
                    new MessagePopulator(v + (nulls ? 500 : 0)).Populate(body, v, nulls);
                    var headerVersion = ApiHeaderVersions.RequestHeaderVersion(info.Key, v);
                    var header = new RequestHeader
                    {
                        RequestApiKey = (short)info.Key,
                        RequestApiVersion = v,
                        CorrelationId = ++correlation,
                        ClientId = nulls ? null : "fuzz-client",
                    };
                    var frame = new byte[header.Size(headerVersion) + body.Size(v)];
                    var writer = new KafkaWriter(frame);
                    header.Write(ref writer, headerVersion);
                    body.Write(ref writer, v);
                    frames.Add(frame);
                }
            }
        }

        return frames;
    }

    private static List<(ApiKey, short, byte[])> BuildResponses()
    {
        var bodies = new List<(ApiKey, short, byte[])>();
        foreach (var info in ApiKeys.All)
        {
            for (var v = info.LowestVersion; v <= info.HighestVersion; v++)
            {
                var body = ApiKeys.CreateResponse(info.Key);
                new MessagePopulator(v).Populate(body, v, nulls: false);
                bodies.Add((info.Key, v, MessageSerializer.ToArray(body, v)));
            }
        }

        return bodies;
    }
}
