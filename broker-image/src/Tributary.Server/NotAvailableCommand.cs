namespace Tributary.Server;

/// <summary>A subcommand that is planned but not built yet: says so and exits with <see cref="ExitCodes.Usage"/>.</summary>
public sealed class NotAvailableCommand : ICommand
{
    public NotAvailableCommand(string name, string summary)
    {
        Name = name;
        Summary = summary;
    }

    public string Name { get; }

    public string Summary { get; }

    public async Task<int> RunAsync(IReadOnlyList<string> args, CommandIO io, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(io);
        await io.Error.WriteLineAsync($"tributary {Name}: not available yet in this build").ConfigureAwait(false);
        return ExitCodes.Usage;
    }
}
