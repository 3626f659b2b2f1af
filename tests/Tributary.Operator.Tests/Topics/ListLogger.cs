using Microsoft.Extensions.Logging;

namespace Tributary.Operator.Tests.Topics;

/// <summary>Keeps warnings and errors in memory so a timed-out wait can show why reconciles failed.</summary>
public sealed class ListLogger<T> : ILogger<T>
{
    private readonly List<string> _entries = [];

    public IReadOnlyList<string> Entries
    {
        get
        {
            lock (_entries)
            {
                return _entries.ToList();
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        if (!IsEnabled(logLevel))
        {
            return;
        }
        lock (_entries)
        {
            _entries.Add($"{logLevel}: {formatter(state, exception)} {exception}");
        }
    }
}
