using System.Net.Sockets;
using Tributary.Operator.Controllers.Topics;

namespace Tributary.Operator.Tests.Topics;

/// <summary>An <see cref="ITopicAdmin"/> session on an <see cref="InMemoryKafka"/>.</summary>
public sealed class InMemoryTopicAdmin : ITopicAdmin
{
    private readonly InMemoryKafka _kafka;
    private readonly bool _reachable;
    private bool _disposed;

    internal InMemoryTopicAdmin(InMemoryKafka kafka, bool reachable)
    {
        _kafka = kafka;
        _reachable = reachable;
    }

    public Task<TopicDescription?> DescribeTopicAsync(string name, CancellationToken cancellationToken = default)
    {
        Check();
        return Task.FromResult(_kafka.Describe(name));
    }

    public Task<string?> CreateTopicAsync(string name, int partitions, short replicationFactor, IReadOnlyDictionary<string, string> configs, CancellationToken cancellationToken = default)
    {
        Check();
        return Task.FromResult<string?>(_kafka.CreateTopic(name, partitions, replicationFactor, configs));
    }

    public Task CreatePartitionsAsync(string name, int totalCount, CancellationToken cancellationToken = default)
    {
        Check();
        _kafka.CreatePartitions(name, totalCount);
        return Task.CompletedTask;
    }

    public Task AlterConfigsAsync(string name, IReadOnlyDictionary<string, string> set, IReadOnlyCollection<string> delete, CancellationToken cancellationToken = default)
    {
        Check();
        _kafka.AlterConfigs(name, set, delete);
        return Task.CompletedTask;
    }

    public Task<bool> DeleteTopicAsync(string name, CancellationToken cancellationToken = default)
    {
        Check();
        return Task.FromResult(_kafka.DeleteTopic(name));
    }

    public ValueTask DisposeAsync()
    {
        _disposed = true;
        return ValueTask.CompletedTask;
    }

    private void Check()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_reachable)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }
    }
}
