using Tributary.Broker.Config;
using Xunit;

namespace Tributary.Broker.Tests.Config;

public sealed class PropertiesParserTests
{
    [Fact]
    public void SkipsCommentsAndBlankLines()
    {
        var p = PropertiesParser.Parse("# a comment\n   ! another\n\n  \nkey=value\n");
        Assert.Equal(new Dictionary<string, string> { ["key"] = "value" }, p);
    }

    [Theory]
    [InlineData("a=b", "a", "b")]
    [InlineData("a:b", "a", "b")]
    [InlineData("a b", "a", "b")]
    [InlineData("  a  =  b", "a", "b")]
    [InlineData("a\t:\tb", "a", "b")]
    [InlineData("a = b = c", "a", "b = c")]
    [InlineData("a=", "a", "")]
    [InlineData("a", "a", "")]
    [InlineData("a=b  ", "a", "b  ")]
    public void SeparatorsAndWhitespace(string line, string key, string value)
    {
        var p = PropertiesParser.Parse(line);
        Assert.Equal(value, p[key]);
    }

    [Fact]
    public void BackslashContinuesLineAndDropsLeadingWhitespace()
    {
        var p = PropertiesParser.Parse("listeners=PLAINTEXT://:9092,\\\n     CONTROLLER://:9093\nnext=1");
        Assert.Equal("PLAINTEXT://:9092,CONTROLLER://:9093", p["listeners"]);
        Assert.Equal("1", p["next"]);
    }

    [Fact]
    public void EscapedBackslashAtEndDoesNotContinue()
    {
        var p = PropertiesParser.Parse("path=c:\\\\\nother=x");
        Assert.Equal("c:\\", p["path"]);
        Assert.Equal("x", p["other"]);
    }

    [Fact]
    public void CommentLineEndingInBackslashDoesNotContinue()
    {
        var p = PropertiesParser.Parse("# comment \\\nkey=v");
        Assert.Equal("v", p["key"]);
    }

    [Fact]
    public void Escapes()
    {
        var p = PropertiesParser.Parse("k\\=x\\:y\\ z=tab\\there\\nnl \\u0041\\\\ \\q");
        Assert.Equal("tab\there\nnl A\\ q", p["k=x:y z"]);
    }

    [Fact]
    public void MalformedUnicodeEscapeIsAConfigError()
    {
        var e = Assert.Throws<ConfigException>(() => PropertiesParser.Parse("\n\nk=\\u12"));
        Assert.Contains("line 3", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LaterDuplicateWinsAndCrLfIsAccepted()
    {
        var p = PropertiesParser.Parse("a=1\r\na=2\r\n");
        Assert.Equal("2", p["a"]);
    }

    [Fact]
    public void ContinuationOnLastLineEndsEntry()
    {
        var p = PropertiesParser.Parse("a=1,\\");
        Assert.Equal("1,", p["a"]);
    }
}
