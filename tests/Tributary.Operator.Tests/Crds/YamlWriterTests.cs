using System.Text.Json.Nodes;
using Tributary.Operator.Rendering;
using Xunit;

namespace Tributary.Operator.Tests.Crds;

/// <summary>Our YAML emitter against an independent parser: every tricky scalar must survive.</summary>
public sealed class YamlWriterTests
{
    [Theory]
    [InlineData("plain")]
    [InlineData("")]
    [InlineData("true")]
    [InlineData("no")]
    [InlineData("Off")]
    [InlineData("null")]
    [InlineData("~")]
    [InlineData("123")]
    [InlineData("1e3")]
    [InlineData("0x1F")]
    [InlineData("1:30")]
    [InlineData("2024-01-02")]
    [InlineData("-5")]
    [InlineData(".5")]
    [InlineData("100Gi")]
    [InlineData("a: b")]
    [InlineData("a #b")]
    [InlineData("ends:")]
    [InlineData(" padded ")]
    [InlineData("*alias")]
    [InlineData("&anchor")]
    [InlineData("!tag")]
    [InlineData("{flow}")]
    [InlineData("[x]")]
    [InlineData("quote\"inside")]
    [InlineData("tab\there")]
    [InlineData("one\ntwo\n")]
    [InlineData("one\ntwo")]
    [InlineData("one\n\ntwo\n\n\n")]
    [InlineData("  indented\nblock")]
    [InlineData("é ü ß µs")]
    public void StringsRoundTrip(string value)
    {
        var doc = new JsonObject { ["key"] = value, ["list"] = new JsonArray(value, new JsonObject { [value.Length == 0 ? "k" : value] = value }) };
        var yaml = YamlWriter.Write(doc);
        Assert.True(JsonNode.DeepEquals(doc, YamlReader.Read(yaml)), yaml);
    }

    [Fact]
    public void NestedStructuresRoundTrip()
    {
        var doc = JsonNode.Parse("""{"a":{"b":[1,2.5,true,{"c":[],"d":{}}],"e":[[1,2],["x"]]},"f":false,"g":-3}""")!;
        var yaml = YamlWriter.Write(doc);
        Assert.True(JsonNode.DeepEquals(doc, YamlReader.Read(yaml)), yaml);
    }

    [Fact]
    public void MultiLineTextUsesLiteralBlocks()
    {
        var yaml = YamlWriter.Write(new JsonObject { ["data"] = "a=1\nb=2\n" });
        Assert.Equal("data: |\n  a=1\n  b=2\n", yaml);
    }

    [Fact]
    public void DocumentsAreSeparated()
    {
        var yaml = YamlWriter.WriteAll([new JsonObject { ["a"] = 1 }, new JsonObject { ["b"] = 2 }]);
        Assert.Equal("a: 1\n---\nb: 2\n", yaml);
        Assert.Equal(2, YamlReader.ReadAll(yaml).Count);
    }
}
