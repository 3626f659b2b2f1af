using Tributary.Operator.Controllers.Topics;
using Xunit;

namespace Tributary.Operator.Tests.Topics;

public sealed class TopicConflictsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Oldest_Wins_RegardlessOfOrder()
    {
        var young = new TopicClaim("young", "0000", T0.AddSeconds(5));
        var old = new TopicClaim("old", "ffff", T0);
        Assert.Equal("old", TopicConflicts.Winner([young, old]).Name);
        Assert.Equal("old", TopicConflicts.Winner([old, young]).Name);
    }

    [Fact]
    public void SameSecond_SmallerUidWins()
    {
        var a = new TopicClaim("a", "b1", T0);
        var b = new TopicClaim("b", "a9", T0);
        Assert.Equal("b", TopicConflicts.Winner([a, b]).Name);
        Assert.Equal("b", TopicConflicts.Winner([b, a]).Name);
    }

    [Fact]
    public void MissingTimestamp_SortsLast()
    {
        var unknown = new TopicClaim("unknown", "0", null);
        var known = new TopicClaim("known", "z", T0.AddYears(5));
        Assert.Equal("known", TopicConflicts.Winner([unknown, known]).Name);
    }

    [Fact]
    public void SingleClaim_WinsAndEmptyIsRejected()
    {
        Assert.Equal("only", TopicConflicts.Winner([new TopicClaim("only", "u", T0)]).Name);
        Assert.Throws<ArgumentException>(() => TopicConflicts.Winner([]));
    }
}
