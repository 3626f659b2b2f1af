using Tributary.Broker.FetchSessions;
using Tributary.Protocol;
using Tributary.Protocol.Messages;
using Xunit;

namespace Tributary.Broker.Tests.Data;

public sealed class FetchSessionTests
{
    private const short Version = 12;

    [Fact]
    public async Task FullThenIncrementalFetchesReportOnlyChanges()
    {
        await using var broker = DataBroker.Start();
        broker.CreateTopic("a");
        broker.CreateTopic("b");
        await broker.SendAsync<ProduceResponse>(Wire.Produce("a", 0, Wire.Batch(2)), 11);

        // The consumer is already at the end of a (offset 2).
        var full = Wire.Fetch("a", 0, 2);
        full.Topics.Add(Wire.FetchTopic("b", (0, 0, 1 << 20)));
        full.SessionId = 0;
        full.SessionEpoch = 0;
        var first = await broker.SendAsync<FetchResponse>(full, Version);
        Assert.NotEqual(0, first.SessionId);
        Assert.Equal(2, first.Responses.Count);

        // Nothing changed and no positions moved: an empty incremental response.
        var same = new FetchRequest { SessionId = first.SessionId, SessionEpoch = 1, MaxBytes = 1 << 20 };
        var quiet = await broker.SendAsync<FetchResponse>(same, Version);
        Assert.Equal((short)ErrorCode.None, quiet.ErrorCode);
        Assert.Equal(first.SessionId, quiet.SessionId);
        Assert.Empty(quiet.Responses);

        // New data in b: only b is reported; a, re-sent with an unchanged position, is not listed.
        await broker.SendAsync<ProduceResponse>(Wire.Produce("b", 0, Wire.Batch(1)), 11);
        var moved = new FetchRequest { SessionId = first.SessionId, SessionEpoch = 2, MaxBytes = 1 << 20, Topics = [Wire.FetchTopic("a", (0, 2, 1 << 20))] };
        var changed = await broker.SendAsync<FetchResponse>(moved, Version);
        var topic = Assert.Single(changed.Responses);
        Assert.Equal("b", topic.Topic);
        Assert.Single(Wire.Batches(Assert.Single(topic.Partitions).Records));

        // b is forgotten: further data there is not reported.
        var forget = new FetchRequest
        {
            SessionId = first.SessionId,
            SessionEpoch = 3,
            MaxBytes = 1 << 20,
            ForgottenTopicsData = [new FetchRequest.ForgottenTopic { Topic = "b", Partitions = [0] }],
        };
        await broker.SendAsync<ProduceResponse>(Wire.Produce("b", 0, Wire.Batch(1)), 11);
        Assert.Empty((await broker.SendAsync<FetchResponse>(forget, Version)).Responses);
        Assert.Equal(1, broker.Sessions.Get(first.SessionId)!.PartitionCount);
    }

    [Fact]
    public async Task SessionErrorsAreTopLevel()
    {
        await using var broker = DataBroker.Start();
        broker.CreateTopic("t");
        var created = Wire.Fetch("t", 0, 0);
        created.SessionEpoch = 0;
        var sessionId = (await broker.SendAsync<FetchResponse>(created, Version)).SessionId;

        var unknown = await broker.SendAsync<FetchResponse>(new FetchRequest { SessionId = sessionId + 1, SessionEpoch = 1 }, Version);
        Assert.Equal((short)ErrorCode.FetchSessionIdNotFound, unknown.ErrorCode);
        Assert.Empty(unknown.Responses);

        var wrongEpoch = await broker.SendAsync<FetchResponse>(new FetchRequest { SessionId = sessionId, SessionEpoch = 5 }, Version);
        Assert.Equal((short)ErrorCode.InvalidFetchSessionEpoch, wrongEpoch.ErrorCode);

        var topicIds = await broker.SendAsync<FetchResponse>(new FetchRequest { SessionId = sessionId, SessionEpoch = 1 }, 13);
        Assert.Equal((short)ErrorCode.FetchSessionTopicIdError, topicIds.ErrorCode);

        // Epoch -1 closes the session and fetches without one.
        var final = Wire.Fetch("t", 0, 0);
        final.SessionId = sessionId;
        final.SessionEpoch = -1;
        var sessionless = await broker.SendAsync<FetchResponse>(final, Version);
        Assert.Equal(0, sessionless.SessionId);
        Assert.Single(sessionless.Responses);
        Assert.Null(broker.Sessions.Get(sessionId));
    }

    [Fact]
    public void FullCacheEvictsStaleThenSmallerSessionsOrRunsWithout()
    {
        var time = new ManualTime();
        var cache = new FetchSessionCache(maxSlots: 1, evictionMs: 1000, time);
        var big = Open(cache, 3);
        Assert.NotEqual(0, big);

        // A smaller newcomer cannot evict a busier live session: it runs without one.
        Assert.Equal(0, Open(cache, 1));
        Assert.NotNull(cache.Get(big));

        // A larger one can.
        var bigger = Open(cache, 4);
        Assert.NotEqual(0, bigger);
        Assert.Null(cache.Get(big));

        // Once idle past the eviction time, any newcomer may take the slot.
        time.Advance(TimeSpan.FromSeconds(2));
        var small = Open(cache, 1);
        Assert.NotEqual(0, small);
        Assert.Null(cache.Get(bigger));
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void EpochsMustFollowEachOther()
    {
        var cache = new FetchSessionCache();
        var id = Open(cache, 1);
        Assert.Equal(FetchContextKind.Incremental, cache.NewContext(id, 1, false, [], []).Kind);
        Assert.Equal(ErrorCode.InvalidFetchSessionEpoch, cache.NewContext(id, 1, false, [], []).Error);
        Assert.Equal(FetchContextKind.Incremental, cache.NewContext(id, 2, false, [], []).Kind);
        Assert.Equal(ErrorCode.FetchSessionIdNotFound, cache.NewContext(0, 3, false, [], []).Error);
    }

    private static int Open(FetchSessionCache cache, int partitions)
    {
        var targets = Enumerable.Range(0, partitions).Select(p => new FetchTarget(new FetchPartitionKey(Guid.Empty, "t", p), 0, 100, -1)).ToList();
        var context = cache.NewContext(0, 0, false, targets, []);
        var states = targets.Select(_ => new FetchedPartitionState(ErrorCode.None, 0, 0, 0, false)).ToList();
        return context.Complete(states, new bool[partitions]);
    }
}
