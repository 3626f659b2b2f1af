namespace Tributary.Server;

/// <summary>
/// The parsed command line: a subcommand, its <c>--option value</c> pairs (repeatable; also
/// <c>--option=value</c>) and flags. Hand-rolled to keep start-up fast and dependencies nil.
/// </summary>
public sealed class CommandLine
{
    private readonly Dictionary<string, List<string>> _options;
    private readonly HashSet<string> _flags;

    private CommandLine(string command, Dictionary<string, List<string>> options, HashSet<string> flags)
    {
        Command = command;
        _options = options;
        _flags = flags;
    }

    public string Command { get; }

    /// <summary>
    /// Splits <paramref name="args"/>. <paramref name="valueOptions"/> take a value; <paramref name="flagOptions"/> do not.
    /// Throws <see cref="UsageException"/> for anything else.
    /// </summary>
    public static CommandLine Parse(IReadOnlyList<string> args, IReadOnlySet<string> valueOptions, IReadOnlySet<string> flagOptions)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Count == 0)
        {
            throw new UsageException("no command given");
        }

        var options = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var flags = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 1; i < args.Count; i++)
        {
            string arg = args[i];
            string name = arg;
            string? value = null;
            int eq = arg.IndexOf('=', StringComparison.Ordinal);
            if (arg.StartsWith("--", StringComparison.Ordinal) && eq > 0)
            {
                (name, value) = (arg[..eq], arg[(eq + 1)..]);
            }

            if (flagOptions.Contains(name) && value is null)
            {
                flags.Add(name);
            }
            else if (valueOptions.Contains(name))
            {
                if (value is null)
                {
                    if (i + 1 >= args.Count)
                    {
                        throw new UsageException($"{name} needs a value");
                    }

                    value = args[++i];
                }

                if (!options.TryGetValue(name, out var list))
                {
                    options[name] = list = [];
                }

                list.Add(value);
            }
            else
            {
                throw new UsageException($"unknown argument '{arg}' for '{args[0]}'");
            }
        }

        return new CommandLine(args[0], options, flags);
    }

    public bool HasFlag(string name) => _flags.Contains(name);

    public IReadOnlyList<string> Values(string name) => _options.TryGetValue(name, out var list) ? list : [];

    /// <summary>The single value of an option given at most once; null when absent.</summary>
    public string? Value(string name)
    {
        var values = Values(name);
        return values.Count switch
        {
            0 => null,
            1 => values[0],
            _ => throw new UsageException($"{name} may be given only once"),
        };
    }
}
