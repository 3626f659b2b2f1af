using System.Collections.Concurrent;
using Tributary.Client.Network;
using Tributary.Protocol;
using Tributary.Protocol.Messages;

namespace Tributary.Client.Cluster;

/// <summary>
/// The routing layer the admin client, producer and consumer share: bootstrap, cached metadata,
/// connections per node, finding leaders, the controller and coordinators, and retrying
/// retriable errors with backoff and a metadata refresh.
/// </summary>
public sealed class ClusterClient : IAsyncDisposable
{
    private readonly IReadOnlyList<BrokerEndpoint> _bootstrap;
    private readonly ConnectionPool _pool;
    private readonly SemaphoreSlim _metadataLock = new(1, 1);
    private readonly ConcurrentDictionary<(CoordinatorType Type, string Key), BrokerNode> _coordinators = new();
    private readonly TimeProvider _time;
    private ClusterMetadata _metadata = ClusterMetadata.Empty;
    private int _stale;

    public ClusterClient(ClientOptions options, IKafkaConnectionFactory? connectionFactory = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        _bootstrap = options.ParseBootstrap();
        _pool = new ConnectionPool(connectionFactory ?? new KafkaConnectionFactory(options));
        _time = timeProvider ?? TimeProvider.System;
        Backoff = new RetryBackoff(options.RetryBackoff, options.RetryBackoffMax);
    }

    public ClientOptions Options { get; }

    public RetryBackoff Backoff { get; }

    /// <summary>The latest metadata snapshot (may be empty before the first refresh).</summary>
    public ClusterMetadata Metadata => Volatile.Read(ref _metadata);

    /// <summary>Marks cached metadata as out of date: the next <see cref="GetMetadataAsync"/> refreshes.</summary>
    public void InvalidateMetadata() => Volatile.Write(ref _stale, 1);

    /// <summary>
    /// Sends a Metadata request for <paramref name="topics"/> (null: every topic; empty: brokers only)
    /// and merges the answer into the cache.
    /// </summary>
    public async Task<ClusterMetadata> RefreshMetadataAsync(IReadOnlyCollection<string>? topics, bool allowAutoCreate, CancellationToken cancellationToken)
    {
        await _metadataLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var connection = await ConnectAnyAsync(cancellationToken).ConfigureAwait(false);
            var response = await SendAsync<MetadataResponse>(connection, ApiKey.Metadata, 1, 12, _ => new MetadataRequest
            {
                Topics = topics?.Select(t => new MetadataRequest.MetadataRequestTopic { Name = t }).ToList(),
                AllowAutoTopicCreation = allowAutoCreate,
            }, cancellationToken).ConfigureAwait(false);
            var updated = Metadata.With(response, topics is null, _time.GetUtcNow());
            Volatile.Write(ref _metadata, updated);
            Volatile.Write(ref _stale, 0);
            return updated;
        }
        finally
        {
            _metadataLock.Release();
        }
    }

    /// <summary>
    /// Metadata covering <paramref name="topics"/>: the cache when every topic is known with leaders
    /// and the cache is fresh, otherwise a refresh.
    /// </summary>
    public async Task<ClusterMetadata> GetMetadataAsync(IReadOnlyCollection<string> topics, bool allowAutoCreate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(topics);
        var current = Metadata;
        var fresh = Volatile.Read(ref _stale) == 0 && _time.GetUtcNow() - current.UpdatedAt < Options.MetadataMaxAge;
        if (fresh && topics.All(t => current.Topics.TryGetValue(t, out var m) && m.Error == ErrorCode.None && m.Partitions.All(p => p.Leader >= 0)))
        {
            return current;
        }

        // Refresh the topics already cached too, so one request keeps everything current.
        var wanted = current.Topics.Keys.Union(topics, StringComparer.Ordinal).ToArray();
        return await RefreshMetadataAsync(wanted, allowAutoCreate, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Metadata for one topic that must exist; raises UnknownTopicOrPartition (retriable, so a retry
    /// loop waits for a topic being created) or the topic's own error.
    /// </summary>
    public async Task<TopicMetadata> GetTopicAsync(string topic, bool allowAutoCreate, CancellationToken cancellationToken)
    {
        var metadata = await GetMetadataAsync([topic], allowAutoCreate, cancellationToken).ConfigureAwait(false);
        if (!metadata.Topics.TryGetValue(topic, out var found))
        {
            throw new KafkaException(ErrorCode.UnknownTopicOrPartition, $"topic {topic} does not exist");
        }

        KafkaException.ThrowIfError((short)found.Error, null, $"metadata for topic {topic}");
        return found;
    }

    /// <summary>A connection to any reachable broker: open ones first, then known brokers, then bootstrap servers.</summary>
    public async Task<IKafkaConnection> ConnectAnyAsync(CancellationToken cancellationToken)
    {
        var metadata = Metadata;
        foreach (var id in metadata.Brokers.Keys)
        {
            if (_pool.TryGetOpen(id) is { } open)
            {
                return open;
            }
        }

        for (var i = 0; i < _bootstrap.Count; i++)
        {
            if (_pool.TryGetOpen(BootstrapId(i)) is { } open)
            {
                return open;
            }
        }

        var errors = new List<string>();
        foreach (var broker in metadata.Brokers.Values.OrderBy(_ => Random.Shared.Next()))
        {
            try
            {
                return await _pool.GetAsync(broker.Id, broker.Endpoint, cancellationToken).ConfigureAwait(false);
            }
            catch (KafkaException ex) when (ex.ErrorCode == ErrorCode.NetworkException)
            {
                errors.Add(ex.Message);
            }
        }

        for (var i = 0; i < _bootstrap.Count; i++)
        {
            try
            {
                return await _pool.GetAsync(BootstrapId(i), _bootstrap[i], cancellationToken).ConfigureAwait(false);
            }
            catch (KafkaException ex) when (ex.ErrorCode == ErrorCode.NetworkException)
            {
                errors.Add(ex.Message);
            }
        }

        throw new KafkaException(ErrorCode.NetworkException, "no broker is reachable: " + string.Join("; ", errors));
    }

    /// <summary>A connection to a broker by node id (refreshing metadata once if the id is unknown).</summary>
    public async Task<IKafkaConnection> ConnectNodeAsync(int nodeId, CancellationToken cancellationToken)
    {
        if (!Metadata.Brokers.TryGetValue(nodeId, out var broker))
        {
            await RefreshMetadataAsync([], false, cancellationToken).ConfigureAwait(false);
            if (!Metadata.Brokers.TryGetValue(nodeId, out broker))
            {
                throw new KafkaException(ErrorCode.BrokerNotAvailable, $"broker {nodeId} is not in the cluster metadata");
            }
        }

        return await _pool.GetAsync(nodeId, broker.Endpoint, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A connection to the controller named by Metadata (on KRaft clusters a broker that forwards).
    /// When Metadata names no broker it knows, any broker is used: it forwards the request or answers
    /// NOT_CONTROLLER, which the retry loop handles.
    /// </summary>
    public async Task<IKafkaConnection> ConnectControllerAsync(CancellationToken cancellationToken)
    {
        var metadata = Metadata;
        if (metadata.ControllerId < 0 || Volatile.Read(ref _stale) != 0 || !metadata.Brokers.ContainsKey(metadata.ControllerId))
        {
            metadata = await RefreshMetadataAsync([], false, cancellationToken).ConfigureAwait(false);
        }

        return metadata.Brokers.ContainsKey(metadata.ControllerId)
            ? await ConnectNodeAsync(metadata.ControllerId, cancellationToken).ConfigureAwait(false)
            : await ConnectAnyAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A connection to the coordinator of a group or transactional id, found with FindCoordinator and cached.</summary>
    public async Task<IKafkaConnection> ConnectCoordinatorAsync(CoordinatorType type, string key, CancellationToken cancellationToken)
    {
        var node = await FindCoordinatorAsync(type, key, cancellationToken).ConfigureAwait(false);
        try
        {
            return await _pool.GetAsync(node.Id, node.Endpoint, cancellationToken).ConfigureAwait(false);
        }
        catch (KafkaException)
        {
            InvalidateCoordinator(type, key);
            throw;
        }
    }

    /// <summary>The coordinator node for a key (cached until <see cref="InvalidateCoordinator"/>).</summary>
    public async Task<BrokerNode> FindCoordinatorAsync(CoordinatorType type, string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_coordinators.TryGetValue((type, key), out var cached))
        {
            return cached;
        }

        var connection = await ConnectAnyAsync(cancellationToken).ConfigureAwait(false);
        var response = await SendAsync<FindCoordinatorResponse>(connection, ApiKey.FindCoordinator, 0, 6, version => version >= 4
            ? new FindCoordinatorRequest { KeyType = (sbyte)type, CoordinatorKeys = [key] }
            : new FindCoordinatorRequest { KeyType = (sbyte)type, Key = key }, cancellationToken).ConfigureAwait(false);

        BrokerNode node;
        if (response.Coordinators.Count > 0)
        {
            var entry = response.Coordinators[0];
            KafkaException.ThrowIfError(entry.ErrorCode, entry.ErrorMessage, $"FindCoordinator for {type} {key}");
            node = new BrokerNode(entry.NodeId, entry.Host, entry.Port, null);
        }
        else
        {
            KafkaException.ThrowIfError(response.ErrorCode, response.ErrorMessage, $"FindCoordinator for {type} {key}");
            node = new BrokerNode(response.NodeId, response.Host, response.Port, null);
        }

        _coordinators[(type, key)] = node;
        return node;
    }

    public void InvalidateCoordinator(CoordinatorType type, string key) => _coordinators.TryRemove((type, key), out _);

    /// <summary>
    /// One request on <paramref name="connection"/>: picks the highest version in [min, max] the broker
    /// supports, builds the request for it and returns the typed response.
    /// </summary>
    public async Task<TResponse> SendAsync<TResponse>(IKafkaConnection connection, ApiKey key, short minVersion, short maxVersion,
        Func<short, IApiRequest> build, CancellationToken cancellationToken, TimeSpan extraTimeout = default)
        where TResponse : IApiResponse
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(build);
        var version = SelectVersion(connection, key, minVersion, maxVersion);
        var response = await connection.SendAsync(build(version), version, Options.RequestTimeout + extraTimeout, cancellationToken).ConfigureAwait(false);
        return response is TResponse typed
            ? typed
            : throw new KafkaException(ErrorCode.CorruptMessage, $"expected a {typeof(TResponse).Name} from {connection.Endpoint}, got {response.GetType().Name}");
    }

    /// <summary>The version to send: the highest both sides support within [min, max] and the configured cap.</summary>
    public short SelectVersion(IKafkaConnection connection, ApiKey key, short minVersion, short maxVersion)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (Options.MaxVersions.TryGetValue(key, out var cap) && cap < maxVersion)
        {
            maxVersion = Math.Max(cap, minVersion);
        }

        return connection.Versions.Select(key, minVersion, maxVersion);
    }

    /// <summary>
    /// Runs <paramref name="attempt"/> until it succeeds, a non-retriable error occurs or the retries
    /// are used up. Before each retry it waits with exponential backoff; errors that mean stale routing
    /// mark metadata stale (refreshed by the next lookup) and drop cached coordinators.
    /// </summary>
    public async Task<T> RetryAsync<T>(Func<CancellationToken, Task<T>> attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        for (var retry = 0; ; retry++)
        {
            try
            {
                return await attempt(cancellationToken).ConfigureAwait(false);
            }
            catch (KafkaException ex) when (ex.IsRetriable && retry < Options.Retries)
            {
                if (KafkaErrors.InvalidatesMetadata(ex.ErrorCode))
                {
                    InvalidateMetadata();
                }

                if (KafkaErrors.InvalidatesCoordinator(ex.ErrorCode))
                {
                    _coordinators.Clear();
                }

                await Task.Delay(Backoff.Delay(retry), _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Runs a request covering many items (topics, partitions, groups) that answers with an error per
    /// item. Items whose error is retriable are sent again, alone, after backoff (and a metadata refresh
    /// when routing is stale), so items that already succeeded are not repeated. A retriable failure of
    /// the whole request retries every pending item. Items still failing after the last retry keep their error.
    /// </summary>
    public async Task<Dictionary<TKey, TResult>> RetryPerItemAsync<TKey, TResult>(IReadOnlyCollection<TKey> items,
        Func<IReadOnlyList<TKey>, CancellationToken, Task<Dictionary<TKey, TResult>>> send, Func<TResult, ErrorCode> errorOf,
        CancellationToken cancellationToken)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(send);
        ArgumentNullException.ThrowIfNull(errorOf);
        var results = new Dictionary<TKey, TResult>();
        var pending = items.Distinct().ToList();
        for (var retry = 0; pending.Count > 0; retry++)
        {
            var last = retry >= Options.Retries;
            ErrorCode? retriable = null;
            try
            {
                var answers = await send(pending, cancellationToken).ConfigureAwait(false);
                var next = new List<TKey>();
                foreach (var item in pending)
                {
                    if (!answers.TryGetValue(item, out var answer))
                    {
                        throw new KafkaException(ErrorCode.UnknownServerError, $"the response has no result for {item}");
                    }

                    var error = errorOf(answer);
                    if (!last && KafkaErrors.IsRetriable(error))
                    {
                        next.Add(item);
                        retriable = error;
                    }
                    else
                    {
                        results[item] = answer;
                    }
                }

                pending = next;
            }
            catch (KafkaException ex) when (ex.IsRetriable && !last)
            {
                retriable = ex.ErrorCode;
            }

            if (pending.Count > 0 && retriable is { } code)
            {
                if (KafkaErrors.InvalidatesMetadata(code))
                {
                    InvalidateMetadata();
                }

                if (KafkaErrors.InvalidatesCoordinator(code))
                {
                    _coordinators.Clear();
                }

                await Task.Delay(Backoff.Delay(retry), _time, cancellationToken).ConfigureAwait(false);
            }
        }

        return results;
    }

    private static int BootstrapId(int index) => -1 - index;

    public async ValueTask DisposeAsync()
    {
        await _pool.DisposeAsync().ConfigureAwait(false);
        _metadataLock.Dispose();
    }
}
