using Tributary.Broker.Config;
using Tributary.Broker.Network;
using Tributary.Broker.Requests;
using Tributary.Broker.Security;
using Tributary.Broker.Topics;
using Tributary.Protocol;
using Tributary.Protocol.Acls;
using Tributary.Protocol.Messages;
using Tributary.Storage;

namespace Tributary.Broker.Handlers.Admin;

/// <summary>
/// DescribeLogDirs v0-4: for every configured log dir, the partitions stored there (all, or the
/// requested ones) with their size on disk and offset lag 0 (no reassignments yet); v4 adds the
/// volume's total and usable bytes. A missing dir reports KAFKA_STORAGE_ERROR. The metadata log
/// is not a topic and is not listed, as in Kafka.
/// </summary>
public sealed class DescribeLogDirsHandler : RequestHandler<DescribeLogDirsRequest, DescribeLogDirsResponse>
{
    private readonly RequestAuthorizer _authorizer;
    private readonly IReadOnlyList<string> _logDirs;
    private readonly LogManager _logs;

    public DescribeLogDirsHandler(BrokerConfig config, LogManager logs, RequestAuthorizer? authorizer = null)
        : base(ApiKey.DescribeLogDirs, 0, 4)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(logs);
        _logDirs = [.. config.LogDirs.Select(d => Path.TrimEndingDirectorySeparator(Path.GetFullPath(d)))];
        _logs = logs;
        _authorizer = authorizer ?? RequestAuthorizer.Disabled;
    }

    protected override ValueTask<DescribeLogDirsResponse?> HandleAsync(RequestContext context, RequestHeader header, DescribeLogDirsRequest request, CancellationToken ct)
    {
        if (!_authorizer.AuthorizeCluster(context, AclOperation.Describe))
        {
            // Kafka: no directories, and (v3+) CLUSTER_AUTHORIZATION_FAILED.
            return ValueTask.FromResult<DescribeLogDirsResponse?>(new DescribeLogDirsResponse { ErrorCode = (short)ErrorCode.ClusterAuthorizationFailed });
        }

        HashSet<TopicPartition>? wanted = null;
        if (request.Topics is not null)
        {
            wanted = [.. request.Topics.SelectMany(t => t.Partitions.Select(p => new TopicPartition(t.Topic, p)))];
        }

        var byDir = _logs.Logs
            .Where(l => l.TopicPartition.Topic != TopicNames.ClusterMetadata && (wanted is null || wanted.Contains(l.TopicPartition)))
            .GroupBy(l => Path.TrimEndingDirectorySeparator(Path.GetDirectoryName(Path.GetFullPath(l.Directory)) ?? ""), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var response = new DescribeLogDirsResponse();
        foreach (var dir in _logDirs)
        {
            var result = new DescribeLogDirsResponse.DescribeLogDirsResult { LogDir = dir };
            response.Results.Add(result);
            if (!Directory.Exists(dir))
            {
                result.ErrorCode = (short)ErrorCode.KafkaStorageError;
                continue;
            }

            (result.TotalBytes, result.UsableBytes) = Space(dir);
            foreach (var topic in byDir.GetValueOrDefault(dir, []).GroupBy(l => l.TopicPartition.Topic, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                result.Topics.Add(new DescribeLogDirsResponse.DescribeLogDirsTopic
                {
                    Name = topic.Key,
                    Partitions = [.. topic.OrderBy(l => l.TopicPartition.Partition).Select(l => new DescribeLogDirsResponse.DescribeLogDirsPartition
                    {
                        PartitionIndex = l.TopicPartition.Partition,
                        PartitionSize = SizeOf(l),
                        OffsetLag = 0,
                        IsFutureKey = false,
                    })],
                });
            }
        }

        return ValueTask.FromResult<DescribeLogDirsResponse?>(response);
    }

    private static long SizeOf(PartitionLog log)
    {
        try
        {
            return log.Size;
        }
        catch (ObjectDisposedException)
        {
            // Deleted while we looked: report it empty rather than fail the whole request.
            return 0;
        }
    }

    private static (long Total, long Usable) Space(string dir)
    {
        try
        {
            var drive = new DriveInfo(dir);
            return (drive.TotalSize, drive.AvailableFreeSpace);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return (-1, -1);
        }
    }
}
