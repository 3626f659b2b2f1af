namespace Tributary.Bench;

/// <summary>Owns what the bench starts (a broker process, a mock cluster, clients) and disposes it in reverse order.</summary>
internal sealed class AsyncDisposables : IAsyncDisposable
{
    private readonly Stack<object> _owned = new();

    public T Add<T>(T resource)
        where T : class
    {
        _owned.Push(resource);
        return resource;
    }

    public async ValueTask DisposeAsync()
    {
        while (_owned.TryPop(out var resource))
        {
            switch (resource)
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }
    }
}
