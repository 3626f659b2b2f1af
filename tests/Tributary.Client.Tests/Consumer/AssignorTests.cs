using Tributary.Client.Consumer;

namespace Tributary.Client.Tests.Consumer;

public sealed class AssignorTests
{
    private static Dictionary<string, IReadOnlyList<string>> Subs(params (string Member, string[] Topics)[] members) =>
        members.ToDictionary(m => m.Member, m => (IReadOnlyList<string>)m.Topics);

    private static string Show(IReadOnlyList<TopicPartition> partitions) => string.Join(" ", partitions.Select(p => p.ToString()));

    [Fact]
    public void RangeMatchesJavaDocumentationExample()
    {
        // Java's RangeAssignor javadoc: t0 and t1 with 3 partitions each, C0 and C1 subscribed to both.
        var result = new RangeAssignor().Assign(Subs(("C0", ["t0", "t1"]), ("C1", ["t0", "t1"])), new Dictionary<string, int> { ["t0"] = 3, ["t1"] = 3 });
        Assert.Equal("t0-0 t0-1 t1-0 t1-1", Show(result["C0"]));
        Assert.Equal("t0-2 t1-2", Show(result["C1"]));
    }

    [Fact]
    public void RangeGivesExtrasToTheFirstMembersAndHandlesPartialSubscriptions()
    {
        var result = new RangeAssignor().Assign(Subs(("b", ["x"]), ("a", ["x", "y"]), ("c", ["x"])),
            new Dictionary<string, int> { ["x"] = 5, ["y"] = 2 });
        Assert.Equal("x-0 x-1 y-0 y-1", Show(result["a"]));
        Assert.Equal("x-2 x-3", Show(result["b"]));
        Assert.Equal("x-4", Show(result["c"]));
    }

    [Fact]
    public void RoundRobinMatchesJavaDocumentationExample()
    {
        // Java's RoundRobinAssignor javadoc: same layout as above.
        var result = new RoundRobinAssignor().Assign(Subs(("C0", ["t0", "t1"]), ("C1", ["t0", "t1"])), new Dictionary<string, int> { ["t0"] = 3, ["t1"] = 3 });
        Assert.Equal("t0-0 t0-2 t1-1", Show(result["C0"]));
        Assert.Equal("t0-1 t1-0 t1-2", Show(result["C1"]));
    }

    [Fact]
    public void RoundRobinSkipsMembersNotSubscribed()
    {
        // Javadoc's second example: C0 [t0], C1 [t0, t1], C2 [t0, t1, t2]; t0 1 partition, t1 2, t2 3.
        var result = new RoundRobinAssignor().Assign(Subs(("C0", ["t0"]), ("C1", ["t0", "t1"]), ("C2", ["t0", "t1", "t2"])),
            new Dictionary<string, int> { ["t0"] = 1, ["t1"] = 2, ["t2"] = 3 });
        Assert.Equal("t0-0", Show(result["C0"]));
        Assert.Equal("t1-0", Show(result["C1"]));
        Assert.Equal("t1-1 t2-0 t2-1 t2-2", Show(result["C2"]));
    }

    [Fact]
    public void MissingTopicsAndIdleMembers()
    {
        var range = new RangeAssignor().Assign(Subs(("a", ["gone"]), ("b", ["x"])), new Dictionary<string, int> { ["x"] = 1 });
        Assert.Empty(range["a"]);
        Assert.Equal("x-0", Show(range["b"]));
        var rr = new RoundRobinAssignor().Assign(Subs(("a", ["x"]), ("b", ["x"]), ("c", ["x"])), new Dictionary<string, int> { ["x"] = 2 });
        Assert.Empty(rr["c"]);
    }

    [Fact]
    public void ProtocolCodecRoundTrips()
    {
        var subscription = ConsumerProtocolCodec.DecodeSubscription(ConsumerProtocolCodec.EncodeSubscription(["b", "a"]));
        Assert.Equal(new[] { "a", "b" }, subscription.Topics);
        var partitions = new[] { new TopicPartition("b", 2), new TopicPartition("a", 1), new TopicPartition("b", 0) };
        Assert.Equal("a-1 b-0 b-2", Show(ConsumerProtocolCodec.DecodeAssignment(ConsumerProtocolCodec.EncodeAssignment(partitions))));
        Assert.Empty(ConsumerProtocolCodec.DecodeAssignment(ReadOnlyMemory<byte>.Empty));
        Assert.Empty(ConsumerProtocolCodec.TryReadAssignment(new byte[] { 0, 0, 0, 0, 0, 9 }));
    }
}
