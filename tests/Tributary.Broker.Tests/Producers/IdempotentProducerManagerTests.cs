using Tributary.Broker.Producers;
using Tributary.Broker.Tests.Groups;
using Tributary.Protocol;
using Xunit;

namespace Tributary.Broker.Tests.Producers;

public sealed class IdempotentProducerManagerTests
{
    private static (IdempotentProducerManager Manager, ProducerIdAllocator Allocator, ManualClock Clock) Create(long firstId = 5_000, int size = 10)
    {
        var allocator = new ProducerIdAllocator();
        allocator.AddBlock(ProducerIdBlock.StartingAt(firstId, size));
        var clock = new ManualClock();
        return (new IdempotentProducerManager(allocator, clock, producerIdExpirationMs: 60_000), allocator, clock);
    }

    [Fact]
    public void NewProducersGetFreshIdsWithEpochZero()
    {
        var (manager, _, _) = Create();
        Assert.Equal(new InitProducerIdResult(ErrorCode.None, 5_000, 0), manager.InitProducerId(-1, -1));
        Assert.Equal(new InitProducerIdResult(ErrorCode.None, 5_001, 0), manager.InitProducerId(-1, -1));
    }

    [Fact]
    public void EpochBumpForKnownProducer()
    {
        var (manager, _, _) = Create();
        var first = manager.InitProducerId(-1, -1);
        var bumped = manager.InitProducerId(first.ProducerId, first.ProducerEpoch);
        Assert.Equal(new InitProducerIdResult(ErrorCode.None, first.ProducerId, 1), bumped);

        // A retry of the same bump gets the same answer; anything else is a stale epoch.
        Assert.Equal(bumped, manager.InitProducerId(first.ProducerId, 0));
        Assert.Equal(ErrorCode.InvalidProducerEpoch, manager.InitProducerId(first.ProducerId, 7).Error);
        Assert.Equal(new InitProducerIdResult(ErrorCode.None, first.ProducerId, 2), manager.InitProducerId(first.ProducerId, 1));
    }

    [Fact]
    public void UnknownOrExpiredIdsGetANewId()
    {
        var (manager, _, clock) = Create();
        Assert.Equal(new InitProducerIdResult(ErrorCode.None, 5_000, 0), manager.InitProducerId(42, 3));
        clock.Advance(60_000);
        Assert.Equal(1, manager.RemoveExpired());
        Assert.Equal(5_001, manager.InitProducerId(5_000, 0).ProducerId);
    }

    [Fact]
    public void InvalidRequestsAndExhaustedBlocks()
    {
        var (manager, allocator, _) = Create(size: 1);
        Assert.Equal(ErrorCode.InvalidRequest, manager.InitProducerId(-1, 0).Error);
        Assert.Equal(ErrorCode.InvalidRequest, manager.InitProducerId(5, -1).Error);
        Assert.Equal(ErrorCode.None, manager.InitProducerId(-1, -1).Error);
        Assert.True(allocator.NeedsBlock);
        Assert.Equal(ErrorCode.CoordinatorLoadInProgress, manager.InitProducerId(-1, -1).Error);
        allocator.AddBlock(ProducerIdBlock.StartingAt(ProducerIdBlock.StartingAt(5_000, 1).NextBlockFirstId, 100));
        Assert.Equal(5_001, manager.InitProducerId(-1, -1).ProducerId);
    }

    [Fact]
    public void AllocatorAsksForTheNextBlockNearTheEnd()
    {
        var allocator = new ProducerIdAllocator();
        Assert.True(allocator.NeedsBlock);
        allocator.AddBlock(new ProducerIdBlock(0, 20));
        Assert.False(allocator.NeedsBlock);
        var ids = new List<long>();
        while (!allocator.NeedsBlock)
        {
            Assert.True(allocator.TryAllocate(out var id));
            ids.Add(id);
        }

        Assert.Equal(Enumerable.Range(0, 18).Select(i => (long)i), ids);
        Assert.Equal(2, allocator.Remaining);
        allocator.AddBlock(new ProducerIdBlock(20, 20));
        Assert.False(allocator.NeedsBlock);
        Assert.Equal(22, allocator.Remaining);
    }
}
