namespace Tributary.Broker.Producers;

/// <summary>
/// Hands out producer ids from reserved blocks. When the current block runs low
/// (<see cref="NeedsBlock"/>) the host reserves the next one (persisted counter or controller
/// RPC) and passes it to <see cref="AddBlock"/>, so allocation itself never waits on I/O.
/// </summary>
public sealed class ProducerIdAllocator
{
    private readonly Queue<ProducerIdBlock> _blocks = new();
    private long _next = -1;
    private long _last = -2;
    private long _blockSize = ProducerIdBlock.DefaultSize;

    /// <summary>Ids left before the current and queued blocks are exhausted.</summary>
    public long Remaining
    {
        get
        {
            var remaining = Math.Max(_last - _next + 1, 0);
            foreach (var b in _blocks)
            {
                remaining += b.Size;
            }

            return remaining;
        }
    }

    /// <summary>True when no further block is queued and the current one is at least 90% used.</summary>
    public bool NeedsBlock
    {
        get
        {
            if (_blocks.Count > 0)
            {
                return false;
            }

            var size = _last - _next + 1;
            return size <= 0 || size * 10 <= _blockSize;
        }
    }

    public void AddBlock(ProducerIdBlock block)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(block.Size);
        _blocks.Enqueue(block);
    }

    /// <summary>Allocates the next id; false when every block is used up (the caller answers retriably).</summary>
    public bool TryAllocate(out long producerId)
    {
        if (_next > _last)
        {
            if (!_blocks.TryDequeue(out var block))
            {
                producerId = -1;
                return false;
            }

            _next = block.FirstId;
            _last = block.LastId;
            _blockSize = block.Size;
        }

        producerId = _next++;
        return true;
    }
}
