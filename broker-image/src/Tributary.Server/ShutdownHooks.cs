using Microsoft.Extensions.Logging;

namespace Tributary.Server;

/// <summary>
/// Work to do on the way down (flush logs and storage, leave the quorum), run in reverse order of
/// registration after the network has stopped. A failing hook is logged and the rest still run.
/// </summary>
public sealed partial class ShutdownHooks
{
    private readonly List<(string Name, Func<ValueTask> Run)> _hooks = [];

    public void Register(string name, Func<ValueTask> run)
    {
        lock (_hooks)
        {
            _hooks.Add((name, run));
        }
    }

    public async Task RunAsync(ILogger logger)
    {
        (string Name, Func<ValueTask> Run)[] hooks;
        lock (_hooks)
        {
            hooks = [.. _hooks];
        }

        for (int i = hooks.Length - 1; i >= 0; i--)
        {
            try
            {
                await hooks[i].Run().ConfigureAwait(false);
            }
#pragma warning disable CA1031 // One failing hook must not keep the others (log flushing in particular) from running.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogHookFailed(logger, hooks[i].Name, e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Shutdown step '{Name}' failed")]
    private static partial void LogHookFailed(ILogger logger, string name, Exception exception);
}
