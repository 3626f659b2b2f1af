using Tributary.Operator.Controllers.Topics;
using Tributary.Protocol;
using Xunit;

namespace Tributary.Operator.Tests.Topics;

public sealed class TopicAdminExceptionTests
{
    [Theory]
    [InlineData(ErrorCode.InvalidConfig, "INVALID_CONFIG")]
    [InlineData(ErrorCode.TopicAlreadyExists, "TOPIC_ALREADY_EXISTS")]
    [InlineData(ErrorCode.UnknownTopicOrPartition, "UNKNOWN_TOPIC_OR_PARTITION")]
    [InlineData(ErrorCode.InvalidTopicException, "INVALID_TOPIC_EXCEPTION")]
    [InlineData(ErrorCode.UnknownServerError, "UNKNOWN_SERVER_ERROR")]
    public void ErrorNames_AreKafkas(ErrorCode code, string name) => Assert.Equal(name, TopicAdminException.KafkaErrorName(code));

    [Fact]
    public void UndefinedCode_IsNamedByNumber() => Assert.Equal("UNKNOWN_ERROR_9999", TopicAdminException.KafkaErrorName((ErrorCode)9999));

    [Fact]
    public void Message_CarriesOperationNameAndBrokerText()
    {
        var e = new TopicAdminException(ErrorCode.InvalidConfig, "Unknown topic config name: foo", "CreateTopics");
        Assert.Equal("CreateTopics failed: INVALID_CONFIG: Unknown topic config name: foo", e.Message);
        Assert.True(e.RequiresSpecChange);
        Assert.Equal("INVALID_CONFIG", new TopicAdminException(ErrorCode.InvalidConfig, null).Message);
    }

    [Theory]
    [InlineData(ErrorCode.NotController)]
    [InlineData(ErrorCode.RequestTimedOut)]
    [InlineData(ErrorCode.TopicAlreadyExists)]
    [InlineData(ErrorCode.LeaderNotAvailable)]
    public void TransientErrors_AreRetried(ErrorCode code) => Assert.False(new TopicAdminException(code, null).RequiresSpecChange);
}
