using Tributary.Server.KafkaCli;

namespace Tributary.Server.Tests.KafkaCli;

/// <summary>The jopt-simple style parsing Kafka's tools use: values, repeats, =, unique prefixes, and clear refusals.</summary>
public sealed class CliArgumentsTests
{
    private static readonly CliOption[] Options =
    [
        CliOption.WithValue("--topic", "String", "topic"),
        CliOption.WithValue("--topic-id", "String", "id"),
        CliOption.WithValue("--config", "String", "config"),
        CliOption.WithValue("--bootstrap-server", "String", "servers"),
        CliOption.Flag("--create", "create"),
        CliOption.Flag("--if-exists", "if exists"),
        CliOption.Flag("--if-not-exists", "if not exists"),
    ];

    [Fact]
    public void ValuesRepeatsAndEqualsFormsAreKeptInOrder()
    {
        var args = CliArguments.Parse(["--create", "--config", "a=1", "--config=b=2", "--topic", "t", "--topic=u"], Options);

        Assert.True(args.Has("--create"));
        Assert.Equal(["a=1", "b=2"], args.Values("--config"));
        Assert.Equal("u", args.Value("--topic"));
        Assert.Equal(["--create", "--config", "--topic"], args.Given);
        Assert.False(args.Has("--topic-id"));
        Assert.Null(args.Value("--topic-id"));
    }

    [Fact]
    public void AUniquePrefixStandsForTheOptionAndAnExactNameWinsOverLongerOnes()
    {
        var args = CliArguments.Parse(["--bootstrap", "h:1", "--cre", "--topic", "t"], Options);

        Assert.Equal("h:1", args.Value("--bootstrap-server"));
        Assert.True(args.Has("--create"));
        Assert.Equal("t", args.Value("--topic"));
    }

    [Theory]
    [InlineData(new[] { "--if" }, "ambiguous")]
    [InlineData(new[] { "--nope" }, "nope is not a recognized option")]
    [InlineData(new[] { "--topic" }, "Option --topic requires an argument")]
    [InlineData(new[] { "--create=yes" }, "Option --create does not take an argument")]
    [InlineData(new[] { "--create", "stray", "-x" }, "Found non argument parameters: stray,-x")]
    public void BadArgumentsAreUsageErrorsThatSayWhy(string[] argv, string reason)
    {
        var error = Assert.Throws<CliUsageException>(() => CliArguments.Parse(argv, Options));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IntegerOptionsRejectNonNumbers()
    {
        var args = CliArguments.Parse(["--topic", "x1"], Options);
        Assert.Contains("Cannot parse argument 'x1'", Assert.Throws<CliUsageException>(() => args.IntValue("--topic")).Message, StringComparison.Ordinal);
        Assert.Null(args.IntValue("--config"));
        Assert.Equal(-3, CliArguments.Parse(["--config", " -3 "], Options).IntValue("--config"));
    }
}
