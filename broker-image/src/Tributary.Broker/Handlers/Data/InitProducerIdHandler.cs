using Microsoft.Extensions.Logging;
using Tributary.Broker.Network;
using Tributary.Broker.Producers;
using Tributary.Broker.Requests;
using Tributary.Broker.Security;
using Tributary.Protocol;
using Tributary.Protocol.Acls;
using Tributary.Protocol.Messages;

namespace Tributary.Broker.Handlers.Data;

/// <summary>
/// InitProducerId v0-5 for idempotent producers: a new producer id (epoch 0), or, with the
/// current id and epoch given (KIP-360), the same id with the epoch bumped. Ids come from blocks
/// reserved through the metadata controller; the next block is fetched in the background when
/// the current one runs low, and a request arriving with none left waits for it.
/// </summary>
/// <remarks>
/// Transactions are not supported yet. A transactional id is answered
/// TRANSACTIONAL_ID_AUTHORIZATION_FAILED: clients (librdkafka, the Java client) treat it as fatal
/// at once with a clear message, where a retriable error such as COORDINATOR_NOT_AVAILABLE
/// would leave <c>init_transactions</c> retrying until it times out. An empty transactional id
/// is INVALID_REQUEST, as in Kafka.
/// </remarks>
public sealed partial class InitProducerIdHandler : RequestHandler<InitProducerIdRequest, InitProducerIdResponse>
{
    private static readonly TimeSpan ExpiryCheckInterval = TimeSpan.FromMinutes(1);

    private readonly Func<CancellationToken, ValueTask<(long Start, int Length)>> _allocateBlock;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly object _lock = new();
    private readonly ProducerIdAllocator _allocator = new();
    private readonly IdempotentProducerManager _producers;
    private readonly RequestAuthorizer _authorizer;
    private Task? _pendingBlock;
    private DateTimeOffset _lastExpiryCheck;

    /// <param name="allocateBlock">Reserves the next block of producer ids (first id, count) through the controller.</param>
    /// <param name="logger">Logger.</param>
    /// <param name="producerIdExpirationMs"><c>producer.id.expiration.ms</c>.</param>
    /// <param name="time">Clock.</param>
    /// <param name="authorizer">ACL checks (null: none).</param>
    public InitProducerIdHandler(Func<CancellationToken, ValueTask<(long Start, int Length)>> allocateBlock, ILogger<InitProducerIdHandler> logger, long producerIdExpirationMs = 86_400_000,
        TimeProvider? time = null, RequestAuthorizer? authorizer = null)
        : base(ApiKey.InitProducerId, 0, 5)
    {
        ArgumentNullException.ThrowIfNull(allocateBlock);
        ArgumentNullException.ThrowIfNull(logger);
        _allocateBlock = allocateBlock;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _producers = new IdempotentProducerManager(_allocator, _time, producerIdExpirationMs);
        _lastExpiryCheck = _time.GetUtcNow();
        _authorizer = authorizer ?? RequestAuthorizer.Disabled;
    }

    protected override async ValueTask<InitProducerIdResponse?> HandleAsync(RequestContext context, RequestHeader header, InitProducerIdRequest request, CancellationToken ct)
    {
        if (request.TransactionalId is { } transactionalId)
        {
            return Failure(transactionalId.Length == 0 ? ErrorCode.InvalidRequest : ErrorCode.TransactionalIdAuthorizationFailed);
        }

        // Kafka 3.x (KIP-679): an idempotent producer needs IDEMPOTENT_WRITE on the cluster or WRITE on some topic.
        if (!_authorizer.AuthorizeCluster(context, AclOperation.IdempotentWrite)
            && !_authorizer.AuthorizeByResourceType(context, AclOperation.Write, AclResourceType.Topic))
        {
            return Failure(ErrorCode.ClusterAuthorizationFailed);
        }

        var result = Init(request.ProducerId, request.ProducerEpoch, out var pending);
        if (result.Error == ErrorCode.CoordinatorLoadInProgress && pending is not null)
        {
            // Every reserved id is used: wait for the block being fetched, then try once more.
            try
            {
                await pending.WaitAsync(ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return Failure(ErrorCode.CoordinatorLoadInProgress);
            }

            result = Init(request.ProducerId, request.ProducerEpoch, out _);
        }

        return new InitProducerIdResponse { ErrorCode = (short)result.Error, ProducerId = result.ProducerId, ProducerEpoch = result.ProducerEpoch };
    }

    private InitProducerIdResult Init(long producerId, short producerEpoch, out Task? pending)
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            if (now - _lastExpiryCheck >= ExpiryCheckInterval)
            {
                _lastExpiryCheck = now;
                _producers.RemoveExpired();
            }

            var result = _producers.InitProducerId(producerId, producerEpoch);
            if (_allocator.NeedsBlock && (_pendingBlock is null || _pendingBlock.IsCompleted))
            {
                _pendingBlock = FetchBlockAsync();
            }

            pending = _pendingBlock;
            return result;
        }
    }

    private async Task FetchBlockAsync()
    {
        try
        {
            // Not the request's token: one client going away must not abandon the shared block.
            var (start, length) = await _allocateBlock(CancellationToken.None).ConfigureAwait(false);
            lock (_lock)
            {
                _allocator.AddBlock(new ProducerIdBlock(start, length));
            }
        }
        catch (Exception e)
        {
            LogBlockFailed(e);
            throw;
        }
        finally
        {
            lock (_lock)
            {
                _pendingBlock = null;
            }
        }
    }

    private static InitProducerIdResponse Failure(ErrorCode error) =>
        new() { ErrorCode = (short)error, ProducerId = -1, ProducerEpoch = -1 };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reserving a block of producer ids failed; InitProducerId answers COORDINATOR_LOAD_IN_PROGRESS until one is reserved")]
    private partial void LogBlockFailed(Exception exception);
}
