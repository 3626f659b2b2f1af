using Tributary.Operator.Validation;
using Xunit;

namespace Tributary.Operator.Tests.Validation;

public sealed class ParserTests
{
    [Theory]
    [InlineData("100Gi", 107374182400)]
    [InlineData("1Ki", 1024)]
    [InlineData("500m", 0.5)]
    [InlineData("1.5", 1.5)]
    [InlineData("2k", 2000)]
    [InlineData("1e3", 1000)]
    [InlineData("1E", 1e18)]
    [InlineData(".5M", 500000)]
    [InlineData("+3", 3)]
    public void ValidQuantities(string text, double expected)
    {
        Assert.True(QuantityParser.TryParse(text, out var value));
        Assert.Equal((decimal)expected, value);
    }

    [Theory]
    [InlineData("100GB")]
    [InlineData("Gi")]
    [InlineData("1 Gi")]
    [InlineData("1e")]
    [InlineData("1e999")]
    [InlineData(".")]
    [InlineData("")]
    [InlineData(null)]
    public void InvalidQuantities(string? text) => Assert.False(QuantityParser.TryParse(text, out _));

    [Theory]
    [InlineData("5m", 300)]
    [InlineData("90s", 90)]
    [InlineData("1h30m", 5400)]
    [InlineData("1.5s", 1.5)]
    [InlineData("250ms", 0.25)]
    public void ValidDurations(string text, double seconds)
    {
        Assert.True(DurationParser.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromSeconds(seconds), value);
    }

    [Theory]
    [InlineData("5")]
    [InlineData("5 minutes")]
    [InlineData("m")]
    [InlineData("-5m")]
    [InlineData("")]
    public void InvalidDurations(string text) => Assert.False(DurationParser.TryParse(text, out _));
}
