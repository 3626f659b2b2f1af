using System.Collections.Concurrent;
using Tributary.Broker.Cluster;
using Tributary.Protocol.Messages;

namespace Tributary.Broker.Tests.Cluster;

/// <summary>A controller channel that answers with a test-supplied function and records every request.</summary>
internal sealed class FakeControllerChannel : IControllerChannel
{
    private readonly Func<IApiRequest, IApiResponse> _answer;

    public FakeControllerChannel(Func<IApiRequest, IApiResponse> answer) => _answer = answer;

    public ConcurrentQueue<IApiRequest> Requests { get; } = new();

    public IEnumerable<T> Sent<T>() => Requests.OfType<T>();

    public Task<IApiResponse> SendAsync(IApiRequest request, TimeSpan timeout, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        Requests.Enqueue(request);
        return Task.FromResult(_answer(request));
    }
}
