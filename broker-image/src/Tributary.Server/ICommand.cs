namespace Tributary.Server;

/// <summary>
/// A <c>tributary</c> subcommand. New subcommands (<c>dev</c>, <c>connect</c>, <c>replicator</c>)
/// implement this and replace their <see cref="NotAvailableCommand"/> entry in <see cref="Program.Commands"/>.
/// </summary>
public interface ICommand
{
    string Name { get; }

    /// <summary>One line for the usage text.</summary>
    string Summary { get; }

    /// <summary>Runs to completion; returns an <see cref="ExitCodes"/> value. <paramref name="stop"/> fires on SIGTERM/SIGINT.</summary>
    Task<int> RunAsync(IReadOnlyList<string> args, CommandIO io, CancellationToken stop);
}
