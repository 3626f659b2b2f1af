using Tributary.Protocol.Generator;
using Xunit;

namespace Tributary.Protocol.Tests.GeneratedMessages;

/// <summary>The generator's schema-language pieces, checked on small inputs.</summary>
public sealed class SchemaParsingTests
{
    [Theory]
    [InlineData("0+", 0, short.MaxValue)]
    [InlineData("3-7", 3, 7)]
    [InlineData("5", 5, 5)]
    public void VersionRangesParse(string text, short lowest, short highest)
    {
        Assert.Equal(new VersionRange(lowest, highest), VersionRange.Parse(text));
    }

    [Fact]
    public void NoneIsEmpty()
    {
        Assert.True(VersionRange.Parse("none").IsEmpty);
        Assert.False(VersionRange.Parse("none").Contains(0));
    }

    [Theory]
    [InlineData("0x7fffffff", 2147483647L)]
    [InlineData("-2147483648", -2147483648L)]
    [InlineData("-1", -1L)]
    [InlineData("010", 8L)]
    [InlineData("0", 0L)]
    public void IntegerDefaultsParse(string text, long expected)
    {
        Assert.Equal(expected, CSharpTypes.IntegerValue(text, "test"));
    }

    [Fact]
    public void CommentLinesAreStripped()
    {
        var text = "// licence\n  // more\n{ \"a\": 1 } // trailing kept\n";
        Assert.Equal("\n\n{ \"a\": 1 } // trailing kept\n\n", SchemaLoader.StripComments(text));
    }

    [Fact]
    public void TypesParse()
    {
        var array = FieldType.Parse("[]Topic");
        Assert.Equal(TypeKind.Array, array.Kind);
        Assert.Equal("Topic", array.ReferencedStruct);
        Assert.Equal(TypeKind.Int32, FieldType.Parse("[]int32").Element!.Kind);
        Assert.Throws<InvalidDataException>(() => FieldType.Parse("int128"));
    }
}
