using Tributary.Server.KafkaCli;

namespace Tributary.Server.Tests.KafkaCli;

/// <summary>--command-config: Java properties syntax, client settings applied, security settings refused loudly.</summary>
public sealed class ToolClientConfigTests
{
    [Fact]
    public void PropertiesSyntax()
    {
        var properties = PropertiesFile.Parse("# comment\n! also\n\nclient.id = tool\nrequest.timeout.ms: 5000\nlong=a\\\n   b\r\nempty=\n");
        Assert.Equal(new Dictionary<string, string> { ["client.id"] = "tool", ["request.timeout.ms"] = "5000", ["long"] = "ab", ["empty"] = "" }, properties);
    }

    [Fact]
    public void ClientSettingsApplyAndUnknownOnesWarn()
    {
        using var warnings = new StringWriter();
        var options = ToolClientConfig.Build("h:1", new Dictionary<string, string>
        {
            ["client.id"] = "tool",
            ["request.timeout.ms"] = "5000",
            ["retries"] = "3",
            ["security.protocol"] = "plaintext",
            ["made.up"] = "1",
            ["metadata.max.age.ms"] = "100",
        }, warnings);

        Assert.Equal("h:1", options.BootstrapServers);
        Assert.Equal("tool", options.ClientId);
        Assert.Equal(TimeSpan.FromSeconds(5), options.RequestTimeout);
        Assert.Equal(3, options.Retries);
        Assert.Equal("The configuration 'made.up' was supplied but isn't a known config.\n", warnings.ToString().Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("security.protocol", "SASL_SSL", "security.protocol=SASL_SSL is not supported")]
    [InlineData("sasl.mechanism", "SCRAM-SHA-512", "sasl.mechanism is not supported")]
    [InlineData("ssl.truststore.location", "/x", "ssl.truststore.location is not supported")]
    [InlineData("request.timeout.ms", "soon", "Invalid value soon for configuration request.timeout.ms")]
    public void UnsupportedOrInvalidSettingsAreRefused(string key, string value, string reason) =>
        Assert.Contains(reason, Assert.Throws<CliUsageException>(() => ToolClientConfig.Build("h:1", new Dictionary<string, string> { [key] = value }, TextWriter.Null)).Message,
            StringComparison.Ordinal);
}
