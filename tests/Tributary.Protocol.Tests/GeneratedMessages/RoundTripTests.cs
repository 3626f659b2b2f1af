using Xunit;
using Tributary.Protocol.Messages;
using Tributary.Protocol.Primitives;

namespace Tributary.Protocol.Tests.GeneratedMessages;

/// <summary>
/// Every generated message (all 88 request/response pairs, headers, data, metadata and coordinator
/// records) at every valid version: populate every field the version carries with a non-default
/// value, write, read back, write again. The bytes must match, Size must equal the bytes written,
/// and every field must survive with its value.
/// </summary>
public sealed class RoundTripTests
{
    public static TheoryData<string, short> Cases => MessageCatalog.EveryVersion();

    [Theory]
    [MemberData(nameof(Cases))]
    public void NonDefaultValuesSurviveARoundTrip(string typeName, short version)
    {
        var type = MessageCatalog.ByName(typeName);
        var original = MessageCatalog.Create(type);
        new MessagePopulator(version * 1000).Populate(original, version, nulls: false);
        Assert.Empty(MessagePopulator.FieldsStillDefault(original, version));

        RoundTrip(type, original, version);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void NullsInNullableFieldsSurviveARoundTrip(string typeName, short version)
    {
        var type = MessageCatalog.ByName(typeName);
        var original = MessageCatalog.Create(type);
        new MessagePopulator(version * 1000 + 7).Populate(original, version, nulls: true);

        RoundTrip(type, original, version);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void DefaultMessagesRoundTrip(string typeName, short version)
    {
        var type = MessageCatalog.ByName(typeName);
        var original = MessageCatalog.Create(type);
        // Non-nullable records fields have no usable default (Kafka's is null as well).
        foreach (var (property, field) in MessageCatalog.Fields(type))
        {
            if (property.PropertyType == typeof(ReadOnlyMemory<byte>?) && field.NullableVersions == "none")
            {
                return;
            }
        }

        RoundTrip(type, original, version);
    }

    private static void RoundTrip(Type type, IProtocolMessage original, short version)
    {
        var bytes = MessageSerializer.ToArray(original, version);

        var copy = MessageCatalog.Create(type);
        var reader = new KafkaReader(bytes);
        copy.Read(ref reader, version);
        Assert.True(reader.End, $"{reader.Remaining} bytes left unread");

        Assert.Null(MessageComparer.Difference(original, copy, type.Name));
        Assert.Equal(bytes.Length, copy.Size(version));
        Assert.Equal(bytes, MessageSerializer.ToArray(copy, version));
    }

    [Fact]
    public void CatalogHoldsEverySchema()
    {
        // 88 requests + 88 responses + 2 headers + 8 data (messages/), 25 metadata, 7 coordinator.
        Assert.Equal(218, MessageCatalog.All.Count);
        Assert.Equal(88, MessageCatalog.All.Count(t => typeof(IApiRequest).IsAssignableFrom(t)));
        Assert.Equal(88, MessageCatalog.All.Count(t => typeof(IApiResponse).IsAssignableFrom(t)));
        Assert.Equal(25, MessageCatalog.All.Count(t => typeof(IMetadataRecord).IsAssignableFrom(t)));
    }

    [Fact]
    public void ReadingOrWritingOutsideTheValidVersionsIsUnsupported()
    {
        foreach (var type in MessageCatalog.All)
        {
            var message = MessageCatalog.Create(type);
            foreach (var version in new[] { (short)(message.LowestSupportedVersion - 1), (short)(message.HighestSupportedVersion + 1), short.MinValue })
            {
                var ex = Assert.Throws<ProtocolException>(() =>
                {
                    var reader = new KafkaReader(new byte[64]);
                    message.Read(ref reader, version);
                });
                Assert.Equal(ProtocolError.UnsupportedVersion, ex.Error);
                Assert.Equal(ProtocolError.UnsupportedVersion, Assert.Throws<ProtocolException>(() => message.Size(version)).Error);
            }
        }
    }
}
