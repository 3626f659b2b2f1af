using Tributary.Protocol.Messages;

namespace Tributary.Broker.Requests;

/// <summary>The handlers a broker serves, indexed by API key; the source of ApiVersions' list.</summary>
public sealed class HandlerTable
{
    private readonly IRequestHandler?[] _byKey;

    public HandlerTable(IEnumerable<IRequestHandler> handlers)
    {
        ArgumentNullException.ThrowIfNull(handlers);
        var list = handlers.ToList();
        _byKey = new IRequestHandler?[list.Count == 0 ? 1 : list.Max(h => (int)h.Key) + 1];
        foreach (var handler in list)
        {
            if (_byKey[(int)handler.Key] is not null)
            {
                throw new ArgumentException($"two handlers for {handler.Key}", nameof(handlers));
            }

            _byKey[(int)handler.Key] = handler;
        }

        Handlers = list.OrderBy(h => (int)h.Key).ToList();
    }

    /// <summary>Handlers in API-key order.</summary>
    public IReadOnlyList<IRequestHandler> Handlers { get; }

    public IRequestHandler? Find(short apiKey) =>
        apiKey >= 0 && apiKey < _byKey.Length ? _byKey[apiKey] : null;
}
