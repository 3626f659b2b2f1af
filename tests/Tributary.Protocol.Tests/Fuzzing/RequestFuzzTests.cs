using Tributary.Protocol.Messages;
using Tributary.Protocol.Primitives;
using Xunit;

namespace Tributary.Protocol.Tests.Fuzzing;

/// <summary>
/// Feeds mutated frames to the request parser (header + body for every API key and version) and
/// mutated bodies to the response parsers. The only acceptable failure is ProtocolException:
/// never IndexOutOfRange, OutOfMemory, InvalidCast or anything else. Fixed seeds keep it repeatable.
/// </summary>
public sealed class RequestFuzzTests
{
    [Fact]
    public void MutatedRequestFramesOnlyRaiseProtocolExceptions()
    {
        const int Iterations = 100_000;
        var corpus = FrameCorpus.Requests;
        var mutator = new FrameMutator(seed: 20241025);
        var picker = new Random(7);
        var failures = new List<string>();
        var (parsed, rejected) = (0, 0);

        // Every seed parses as it is before being mutated.
        foreach (var frame in corpus)
        {
            RequestFrameReader.Read(frame);
        }

        for (var i = 0; i < Iterations; i++)
        {
            var frame = mutator.Mutate(corpus[picker.Next(corpus.Count)]);
            try
            {
                RequestFrameReader.Read(frame);
                parsed++;
            }
            catch (ProtocolException)
            {
                rejected++;
            }
            catch (Exception ex) when (failures.Count < 10)
            {
                failures.Add($"iteration {i}: {ex.GetType().Name}: {ex.Message} frame={Convert.ToHexString(frame)}");
            }
        }

        Assert.Empty(failures);
        Assert.Equal(Iterations, parsed + rejected);
        // Both outcomes must occur, or the mutations are not exercising the parsers.
        Assert.True(parsed > 1000 && rejected > 1000, $"parsed {parsed}, rejected {rejected}");
    }

    [Fact]
    public void MutatedResponseBodiesOnlyRaiseProtocolExceptions()
    {
        const int Iterations = 30_000;
        var corpus = FrameCorpus.Responses;
        var mutator = new FrameMutator(seed: 99);
        var picker = new Random(11);
        var failures = new List<string>();
        for (var i = 0; i < Iterations; i++)
        {
            var (key, version, body) = corpus[picker.Next(corpus.Count)];
            var mutated = mutator.Mutate(body);
            try
            {
                var response = ApiKeys.CreateResponse(key);
                var reader = new KafkaReader(mutated);
                response.Read(ref reader, version);
            }
            catch (ProtocolException)
            {
            }
            catch (Exception ex) when (failures.Count < 10)
            {
                failures.Add($"{key} v{version}: {ex.GetType().Name}: {ex.Message} body={Convert.ToHexString(mutated)}");
            }
        }

        Assert.Empty(failures);
    }

    [Fact]
    public void PurelyRandomFramesOnlyRaiseProtocolExceptions()
    {
        var random = new Random(3);
        for (var i = 0; i < 20_000; i++)
        {
            var frame = new byte[random.Next(0, 64)];
            random.NextBytes(frame);
            if (frame.Length >= 2 && random.Next(2) == 0)
            {
                // Aim half of them at real API keys so bodies get parsed too.
                frame[0] = 0;
                frame[1] = (byte)random.Next(ApiKeys.Count);
            }

            try
            {
                RequestFrameReader.Read(frame);
            }
            catch (ProtocolException)
            {
            }
        }
    }
}
