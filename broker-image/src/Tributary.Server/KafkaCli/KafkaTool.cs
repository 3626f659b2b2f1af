using System.Globalization;
using System.Text;
using Tributary.Client;

namespace Tributary.Server.KafkaCli;

/// <summary>
/// What the three Kafka tools share: help text in Kafka's layout, and turning failures into
/// Kafka's output and exit codes (usage error: reason and help on stderr, exit 1; broker error:
/// "Error while executing ... command : reason", exit 1).
/// </summary>
public static class KafkaTool
{
    /// <summary>The Kafka release whose tool syntax these commands follow.</summary>
    public const string KafkaVersion = "3.9.0";

    public static string Help(string summary, IReadOnlyList<CliOption> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var sb = new StringBuilder();
        sb.Append(summary).Append('\n');
        const int width = 42;
        sb.Append("Option".PadRight(width)).Append("Description\n");
        sb.Append("------".PadRight(width)).Append("-----------\n");
        foreach (var option in options.OrderBy(o => o.Name, StringComparer.Ordinal))
        {
            var left = option.TakesValue ? $"{option.Name} <{option.ValueName}>" : option.Name;
            sb.Append(left.Length >= width ? left + "\n" + new string(' ', width) : left.PadRight(width));
            sb.Append(option.Description.Replace("\n", "\n" + new string(' ', width + 2), StringComparison.Ordinal)).Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>
    /// Runs a tool body; <paramref name="failurePrefix"/> starts the line that reports a run-time
    /// failure (each Kafka tool words it differently, e.g. "Error while executing topic command : ").
    /// </summary>
    public static async Task<int> RunAsync(string failurePrefix, string help, CommandIO io, Func<Task<int>> body)
    {
        ArgumentNullException.ThrowIfNull(io);
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (CliUsageException e)
        {
            await io.Error.WriteLineAsync(e.Message).ConfigureAwait(false);
            await io.Error.WriteAsync(help).ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        catch (ToolFailure e)
        {
            await io.Error.WriteLineAsync(failurePrefix + e.Message).ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        catch (KafkaException e)
        {
            await io.Error.WriteLineAsync(failurePrefix + e.Message).ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        catch (ArgumentException e)
        {
            await io.Error.WriteLineAsync(failurePrefix + e.Message).ConfigureAwait(false);
            return ExitCodes.Failure;
        }
    }

    /// <summary>Prints the version when asked and says whether it did.</summary>
    public static async Task<bool> PrintedHelpOrVersionAsync(CliArguments args, string help, CommandIO io)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(io);
        if (args.Has("--help"))
        {
            await io.Out.WriteAsync(help).ConfigureAwait(false);
            return true;
        }

        if (args.Has("--version"))
        {
            await io.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{KafkaVersion} (tributary)")).ConfigureAwait(false);
            return true;
        }

        return false;
    }
}
