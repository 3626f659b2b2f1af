using Tributary.Server.KafkaCli;

namespace Tributary.Server.Tests.KafkaCli;

/// <summary>--topic as Kafka reads it outside --create: a whole-name regular expression, commas as alternatives.</summary>
public sealed class TopicFilterTests
{
    private static readonly (string, bool)[] Topics = [("orders", false), ("orders-eu", false), ("payments", false), ("__consumer_offsets", true)];

    [Theory]
    [InlineData(null, false, new[] { "__consumer_offsets", "orders", "orders-eu", "payments" })]
    [InlineData(null, true, new[] { "orders", "orders-eu", "payments" })]
    [InlineData("orders", false, new[] { "orders" })]
    [InlineData("orders.*", false, new[] { "orders", "orders-eu" })]
    [InlineData("orders,payments", false, new[] { "orders", "payments" })]
    [InlineData("'payments'", false, new[] { "payments" })]
    [InlineData("__.*", true, new string[0])]
    [InlineData("ord", false, new string[0])]
    public void SelectsWholeNameMatchesSorted(string? topic, bool excludeInternal, string[] expected) =>
        Assert.Equal(expected, new TopicFilter(topic, excludeInternal).Select(Topics));

    [Fact]
    public void AnInvalidExpressionIsAUsageError() =>
        Assert.Contains("Invalid topic regular expression", Assert.Throws<CliUsageException>(() => new TopicFilter("orders(", false)).Message, StringComparison.Ordinal);
}
