using Tributary.Operator.Controllers.Topics;
using Xunit;

namespace Tributary.Operator.Tests.Topics;

public sealed class KafkaTopicAdminTests
{
    [Fact]
    public void TopicId_IsPrintedLikeKafkasUuid()
    {
        // Kafka prints Uuid(mostSigBits=1, leastSigBits=2) as URL-safe base64 of its 16 big-endian bytes, unpadded.
        var id = new Guid([0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2], bigEndian: true);
        Assert.Equal("AAAAAAAAAAEAAAAAAAAAAg", KafkaTopicAdmin.FormatTopicId(id));
        var high = new Guid([0xfb, 0xef, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff], bigEndian: true);
        Assert.Equal("--__AAAAAAAAAAAAAAAA_w", KafkaTopicAdmin.FormatTopicId(high));
    }

    [Fact]
    public void ZeroTopicId_MeansUnknown() => Assert.Null(KafkaTopicAdmin.FormatTopicId(Guid.Empty));
}
