using System.Globalization;
using System.Net.Sockets;
using Tributary.Client;
using Tributary.Client.Admin;
using Tributary.Client.Cluster;
using Tributary.Operator.Api;
using Tributary.Protocol;
using Tributary.Protocol.Primitives;

namespace Tributary.Operator.Rolling;

/// <summary>
/// The production safety probe: first every pod must be Ready (the wrapped
/// <see cref="PodReadinessSafetyProbe"/>), then the cluster's own admin API (at
/// <c>status.bootstrapServers</c>) must show that restarting the node keeps every partition at
/// min.insync.replicas and the metadata quorum at a majority (<see cref="RollSafety"/>). Anything
/// that cannot be verified (no bootstrap address yet, Kafka unreachable, a failed request) refuses
/// with the reason; the roller retries later. A fresh admin client is opened per question, as the
/// Topic controller does, so no connection outlives a reconcile.
/// </summary>
public sealed class KafkaSafetyProbe : IClusterSafetyProbe
{
    private const string MinInsyncReplicas = "min.insync.replicas";
    private const string MetadataTopic = "__cluster_metadata";

    private readonly IClusterSafetyProbe _pods;
    private readonly Func<string, IKafkaAdminClient> _admins;
    private readonly TimeProvider _time;
    private readonly RollSafetyOptions _options;

    /// <param name="pods">The readiness gate asked first (normally <see cref="PodReadinessSafetyProbe"/>).</param>
    /// <param name="admins">Opens an admin client for a bootstrap list; null uses <see cref="CreateAdmin"/>.</param>
    public KafkaSafetyProbe(IClusterSafetyProbe pods, Func<string, IKafkaAdminClient>? admins = null, TimeProvider? time = null, RollSafetyOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(pods);
        _pods = pods;
        _admins = admins ?? (bootstrap => CreateAdmin(bootstrap));
        _time = time ?? TimeProvider.System;
        _options = options ?? RollSafetyOptions.Default;
    }

    /// <summary>The operator's admin client: short budgets so an unreachable cluster refuses quickly instead of holding a worker.</summary>
    public static KafkaAdminClient CreateAdmin(string bootstrapServers, Action<ClientOptions>? configure = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(bootstrapServers);
        var options = new ClientOptions
        {
            BootstrapServers = bootstrapServers,
            ClientId = "tributary-operator-roller",
            ConnectTimeout = TimeSpan.FromSeconds(5),
            RequestTimeout = TimeSpan.FromSeconds(15),
            Retries = 2,
        };
        configure?.Invoke(options);
        return new KafkaAdminClient(options);
    }

    /// <summary>The DescribeQuorum leader, else DescribeCluster's controller id, else null (unknown or unreachable).</summary>
    public async Task<int?> GetActiveControllerAsync(KafkaCluster cluster, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        if (Bootstrap(cluster) is not { } bootstrap)
        {
            return null;
        }

        try
        {
            var admin = _admins(bootstrap);
            await using (admin.ConfigureAwait(false))
            {
                var quorum = await DescribeQuorumAsync(admin, cancellationToken).ConfigureAwait(false);
                if (quorum is { LeaderId: >= 0 })
                {
                    return quorum.LeaderId;
                }

                // In KRaft this is a live broker, not necessarily the controller: better than no order at all.
                var description = await admin.DescribeClusterAsync(cancellationToken).ConfigureAwait(false);
                return description.ControllerId >= 0 ? description.ControllerId : null;
            }
        }
        catch (Exception e) when (IsKafkaFailure(e, cancellationToken))
        {
            return null; // The order is an optimisation; CanRestartAsync refuses on the same failure.
        }
    }

    public async Task<RollDecision> CanRestartAsync(KafkaCluster cluster, int nodeId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var pods = await _pods.CanRestartAsync(cluster, nodeId, cancellationToken).ConfigureAwait(false);
        if (!pods.Allowed)
        {
            return pods;
        }

        if (Bootstrap(cluster) is not { } bootstrap)
        {
            return RollDecision.Refuse("the cluster has no bootstrap servers in its status yet, so Kafka cannot be asked whether the restart is safe");
        }

        try
        {
            var admin = _admins(bootstrap);
            await using (admin.ConfigureAwait(false))
            {
                return await EvaluateAsync(admin, nodeId, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (IsKafkaFailure(e, cancellationToken))
        {
            return RollDecision.Refuse($"cannot verify with Kafka at {bootstrap} that the restart is safe: {e.Message}");
        }
    }

    private async Task<RollDecision> EvaluateAsync(IKafkaAdminClient admin, int nodeId, CancellationToken ct)
    {
        var names = (await admin.ListTopicsAsync(includeInternal: true, ct).ConfigureAwait(false))
            .Select(t => t.Name)
            .Where(n => n != MetadataTopic)
            .ToList();
        IReadOnlyCollection<TopicMetadata> topics = [];
        var minIsr = new Dictionary<string, int>(StringComparer.Ordinal);
        if (names.Count > 0)
        {
            topics = (await admin.DescribeTopicsAsync(names, ct).ConfigureAwait(false)).Values.ToList();
            var configs = await admin.DescribeConfigsAsync(names.Select(ConfigResource.Topic), ct).ConfigureAwait(false);
            foreach (var config in configs)
            {
                // A topic deleted meanwhile has no entry and is skipped by RollSafety; other errors leave it
                // unknown, which refuses (a partition we cannot judge is not known to be safe).
                if (config.Result.IsSuccess
                    && config.Entries.FirstOrDefault(e => e.Name == MinInsyncReplicas)?.Value is { } value
                    && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
                {
                    minIsr[config.Resource.Name] = parsed;
                }
            }
        }

        var quorum = await DescribeQuorumAsync(admin, ct).ConfigureAwait(false);
        return RollSafety.Evaluate(topics, minIsr, quorum, nodeId, _time.GetUtcNow().ToUnixTimeMilliseconds(), _options);
    }

    /// <summary>The quorum, or null from brokers that do not serve DescribeQuorum (older images mid-upgrade).</summary>
    private static async Task<QuorumInfo?> DescribeQuorumAsync(IKafkaAdminClient admin, CancellationToken ct)
    {
        try
        {
            return await admin.DescribeQuorumAsync(ct).ConfigureAwait(false);
        }
        catch (KafkaException e) when (e.ErrorCode is ErrorCode.UnsupportedVersion)
        {
            return null;
        }
    }

    private static string? Bootstrap(KafkaCluster cluster) =>
        string.IsNullOrWhiteSpace(cluster.Status?.BootstrapServers) ? null : cluster.Status.BootstrapServers;

    private static bool IsKafkaFailure(Exception e, CancellationToken ct) =>
        e is KafkaException or IOException or SocketException or TimeoutException or ProtocolException
        || (e is OperationCanceledException && !ct.IsCancellationRequested);
}
