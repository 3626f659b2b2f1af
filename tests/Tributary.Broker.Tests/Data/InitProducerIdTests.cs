using Tributary.Protocol;
using Tributary.Protocol.Messages;
using Xunit;

namespace Tributary.Broker.Tests.Data;

public sealed class InitProducerIdTests
{
    [Fact]
    public async Task IdsComeFromReservedBlocksAndEpochsBump()
    {
        await using var broker = DataBroker.Start();
        var ids = new List<long>();
        for (var i = 0; i < 15; i++)
        {
            var response = await broker.SendAsync<InitProducerIdResponse>(new InitProducerIdRequest { TransactionalId = null }, 4);
            Assert.Equal((short)ErrorCode.None, response.ErrorCode);
            Assert.Equal(0, response.ProducerEpoch);
            ids.Add(response.ProducerId);
        }

        Assert.Equal(15, ids.Distinct().Count());
        Assert.All(ids, id => Assert.InRange(id, 1000, 1019));
        Assert.Equal(2, broker.BlocksAllocated);

        var bumped = await broker.SendAsync<InitProducerIdResponse>(new InitProducerIdRequest { TransactionalId = null, ProducerId = ids[0], ProducerEpoch = 0 }, 4);
        Assert.Equal((ids[0], (short)1), (bumped.ProducerId, bumped.ProducerEpoch));
        var stale = await broker.SendAsync<InitProducerIdResponse>(new InitProducerIdRequest { TransactionalId = null, ProducerId = ids[0], ProducerEpoch = 7 }, 4);
        Assert.Equal((short)ErrorCode.InvalidProducerEpoch, stale.ErrorCode);
    }

    [Fact]
    public async Task TransactionalIdsFailClearly()
    {
        await using var broker = DataBroker.Start();

        var transactional = await broker.SendAsync<InitProducerIdResponse>(new InitProducerIdRequest { TransactionalId = "tx", TransactionTimeoutMs = 60000 }, 4);
        Assert.Equal((short)ErrorCode.TransactionalIdAuthorizationFailed, transactional.ErrorCode);
        Assert.Equal(-1, transactional.ProducerId);
        var empty = await broker.SendAsync<InitProducerIdResponse>(new InitProducerIdRequest { TransactionalId = string.Empty }, 0);
        Assert.Equal((short)ErrorCode.InvalidRequest, empty.ErrorCode);
    }

    [Fact]
    public async Task AFailedReservationIsRetriable()
    {
        var fail = true;
        await using var broker = DataBroker.Start(allocator: _ => fail
            ? ValueTask.FromException<(long, int)>(new InvalidOperationException("controller unavailable"))
            : ValueTask.FromResult((500L, 5)));

        var first = await broker.SendAsync<InitProducerIdResponse>(new InitProducerIdRequest { TransactionalId = null }, 4);
        Assert.Equal((short)ErrorCode.CoordinatorLoadInProgress, first.ErrorCode);
        fail = false;
        var second = await broker.SendAsync<InitProducerIdResponse>(new InitProducerIdRequest { TransactionalId = null }, 4);
        Assert.Equal((short)ErrorCode.None, second.ErrorCode);
        Assert.Equal(500, second.ProducerId);
    }
}
