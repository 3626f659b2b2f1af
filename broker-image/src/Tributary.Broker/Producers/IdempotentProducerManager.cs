using Tributary.Protocol;

namespace Tributary.Broker.Producers;

/// <summary>
/// InitProducerId for idempotent (non-transactional) producers: a new id with epoch 0, or, when the
/// client passes its current id and epoch (KIP-360, e.g. after OUT_OF_ORDER_SEQUENCE_NUMBER), the
/// same id with the epoch bumped so its sequences restart at 0.
/// </summary>
/// <remarks>
/// The latest epoch granted per id is remembered for producer.id.expiration.ms of inactivity.
/// An id that is not remembered (expired, or issued before a restart) gets a fresh id, which is
/// always safe: the old id's partition state is simply never used again.
/// </remarks>
public sealed class IdempotentProducerManager
{
    private readonly ProducerIdAllocator _allocator;
    private readonly TimeProvider _time;
    private readonly long _expirationMs;
    private readonly Dictionary<long, (short Epoch, short PreviousEpoch, long LastUsedMs)> _granted = [];

    public IdempotentProducerManager(ProducerIdAllocator allocator, TimeProvider time, long producerIdExpirationMs = 86_400_000)
    {
        ArgumentNullException.ThrowIfNull(allocator);
        ArgumentNullException.ThrowIfNull(time);
        _allocator = allocator;
        _time = time;
        _expirationMs = producerIdExpirationMs;
    }

    private long Now => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>
    /// Handles InitProducerId with a null transactional id. <paramref name="producerId"/> and
    /// <paramref name="producerEpoch"/> are -1 for a new producer (both or neither must be set).
    /// </summary>
    public InitProducerIdResult InitProducerId(long producerId, short producerEpoch)
    {
        if ((producerId == -1) != (producerEpoch == -1))
        {
            return InitProducerIdResult.Failure(ErrorCode.InvalidRequest);
        }

        var now = Now;
        if (producerId != -1 && _granted.TryGetValue(producerId, out var granted))
        {
            if (producerEpoch == granted.Epoch)
            {
                if (granted.Epoch < short.MaxValue - 1)
                {
                    var bumped = (short)(granted.Epoch + 1);
                    _granted[producerId] = (bumped, granted.Epoch, now);
                    return new InitProducerIdResult(ErrorCode.None, producerId, bumped);
                }

                // Epoch space exhausted: continue as a new producer id.
                _granted.Remove(producerId);
            }
            else if (producerEpoch == granted.PreviousEpoch)
            {
                // A retry of the bump that already happened: answer the same epoch again.
                _granted[producerId] = granted with { LastUsedMs = now };
                return new InitProducerIdResult(ErrorCode.None, producerId, granted.Epoch);
            }
            else
            {
                return InitProducerIdResult.Failure(ErrorCode.InvalidProducerEpoch);
            }
        }

        if (!_allocator.TryAllocate(out var newId))
        {
            // No block reserved yet: clients retry this error.
            return InitProducerIdResult.Failure(ErrorCode.CoordinatorLoadInProgress);
        }

        _granted[newId] = (0, -1, now);
        return new InitProducerIdResult(ErrorCode.None, newId, 0);
    }

    /// <summary>Forgets ids not used for producer.id.expiration.ms; call periodically.</summary>
    public int RemoveExpired()
    {
        var now = Now;
        var expired = _granted.Where(p => now - p.Value.LastUsedMs >= _expirationMs).Select(p => p.Key).ToList();
        foreach (var id in expired)
        {
            _granted.Remove(id);
        }

        return expired.Count;
    }
}
