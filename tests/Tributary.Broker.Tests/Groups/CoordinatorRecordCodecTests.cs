using Tributary.Broker.Groups;
using Tributary.Protocol.Primitives;
using Xunit;

namespace Tributary.Broker.Tests.Groups;

public sealed class CoordinatorRecordCodecTests
{
    [Fact]
    public void OffsetCommitKeyMatchesKafkaLayout()
    {
        // version 1 | "g" | "tp" | partition 3
        byte[] expected = [0, 1, 0, 1, (byte)'g', 0, 2, (byte)'t', (byte)'p', 0, 0, 0, 3];
        Assert.Equal(expected, CoordinatorRecordCodec.EncodeOffsetCommitKey("g", "tp", 3));
        Assert.Equal(new CoordinatorKey(CoordinatorKeyType.OffsetCommit, "g", "tp", 3), CoordinatorRecordCodec.DecodeKey(expected));
    }

    [Fact]
    public void GroupMetadataKeyMatchesKafkaLayout()
    {
        byte[] expected = [0, 2, 0, 2, (byte)'g', (byte)'1'];
        Assert.Equal(expected, CoordinatorRecordCodec.EncodeGroupMetadataKey("g1"));
        Assert.Equal(CoordinatorKeyType.GroupMetadata, CoordinatorRecordCodec.DecodeKey(expected).Type);
    }

    [Fact]
    public void OffsetCommitValueV3Layout()
    {
        var bytes = CoordinatorRecordCodec.EncodeOffsetCommitValue(new CommittedOffset(5, 2, "m", 9));
        byte[] expected = [0, 3, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 2, 0, 1, (byte)'m', 0, 0, 0, 0, 0, 0, 0, 9];
        Assert.Equal(expected, bytes);
        Assert.Equal(new CommittedOffset(5, 2, "m", 9), CoordinatorRecordCodec.DecodeOffsetCommitValue(bytes));
    }

    [Fact]
    public void OffsetCommitValueOlderVersionsDecode()
    {
        // v1: offset, metadata, commitTimestamp, expireTimestamp
        byte[] v1 = [0, 1, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 10];
        Assert.Equal(new CommittedOffset(5, -1, "", 9), CoordinatorRecordCodec.DecodeOffsetCommitValue(v1));

        // v4 (flexible): compact string and an empty tagged-field section
        byte[] v4 = [0, 4, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 1, 2, (byte)'m', 0, 0, 0, 0, 0, 0, 0, 9, 0];
        Assert.Equal(new CommittedOffset(5, 1, "m", 9), CoordinatorRecordCodec.DecodeOffsetCommitValue(v4));
        Assert.Throws<ProtocolException>(() => CoordinatorRecordCodec.DecodeOffsetCommitValue(new byte[] { 0, 7 }));
        Assert.Throws<ProtocolException>(() => CoordinatorRecordCodec.DecodeOffsetCommitValue(new byte[] { 0, 3, 1 }));
    }

    [Fact]
    public void GroupMetadataValueRoundTrips()
    {
        var value = new GroupMetadataSnapshot("consumer", 7, "range", "m1", 1234,
        [
            new GroupMemberSnapshot("m1", "i1", "c1", "/h1", 30_000, 10_000, [1, 2], [3]),
            new GroupMemberSnapshot("m2", null, "c2", "/h2", 60_000, 45_000, [], [4, 5, 6]),
        ]);
        var bytes = CoordinatorRecordCodec.EncodeGroupMetadataValue(value);
        Assert.Equal(new byte[] { 0, 3 }, bytes[..2]);
        var decoded = CoordinatorRecordCodec.DecodeGroupMetadataValue(bytes);
        Assert.Equal(value with { Members = [] }, decoded with { Members = [] });
        Assert.Equal(2, decoded.Members.Count);
        for (var i = 0; i < 2; i++)
        {
            var (a, b) = (value.Members[i], decoded.Members[i]);
            Assert.Equal((a.MemberId, a.GroupInstanceId, a.ClientId, a.ClientHost, a.RebalanceTimeoutMs, a.SessionTimeoutMs),
                (b.MemberId, b.GroupInstanceId, b.ClientId, b.ClientHost, b.RebalanceTimeoutMs, b.SessionTimeoutMs));
            Assert.Equal(a.Subscription, b.Subscription);
            Assert.Equal(a.Assignment, b.Assignment);
        }

        var empty = new GroupMetadataSnapshot("consumer", 8, null, null, 99, []);
        Assert.Equal(empty with { Members = [] }, CoordinatorRecordCodec.DecodeGroupMetadataValue(CoordinatorRecordCodec.EncodeGroupMetadataValue(empty)) with { Members = [] });
    }

    [Fact]
    public void GroupMetadataValueV0UsesSessionTimeoutAsRebalanceTimeout()
    {
        // v0: protocolType "c", generation 1, protocol null, leader null, one member
        // (memberId "m", clientId "x", clientHost "h", sessionTimeout 6000, subscription [], assignment [])
        byte[] v0 =
        [
            0, 0, 0, 1, (byte)'c', 0, 0, 0, 1, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 1,
            0, 1, (byte)'m', 0, 1, (byte)'x', 0, 1, (byte)'h', 0, 0, 0x17, 0x70, 0, 0, 0, 0, 0, 0, 0, 0,
        ];
        var decoded = CoordinatorRecordCodec.DecodeGroupMetadataValue(v0);
        var member = Assert.Single(decoded.Members);
        Assert.Equal(6000, member.RebalanceTimeoutMs);
        Assert.Equal(-1, decoded.CurrentStateTimestamp);
        Assert.Null(member.GroupInstanceId);
    }
}
