using System.Globalization;

namespace Tributary.Server.KafkaCli;

/// <summary>
/// A Kafka tool's command line parsed the way Kafka's (jopt-simple) parser does: <c>--opt value</c>
/// and <c>--opt=value</c>, any option repeatable (values kept in order), a unique prefix of a long
/// name stands for it (<c>--bootstrap</c>), and anything else is a usage error.
/// </summary>
public sealed class CliArguments
{
    private readonly Dictionary<string, List<string>> _values;

    private CliArguments(Dictionary<string, List<string>> values, IReadOnlyList<string> given)
    {
        _values = values;
        Given = given;
    }

    /// <summary>Option names in the order they first appeared.</summary>
    public IReadOnlyList<string> Given { get; }

    /// <summary>Parses <paramref name="args"/> (the tool's arguments, without the subcommand) against <paramref name="options"/>.</summary>
    public static CliArguments Parse(IReadOnlyList<string> args, IReadOnlyList<CliOption> options)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(options);
        var values = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var given = new List<string>();
        var positional = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                positional.Add(arg);
                continue;
            }

            string name = arg;
            string? value = null;
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                (name, value) = (arg[..eq], arg[(eq + 1)..]);
            }

            var option = Resolve(name, options);
            if (!option.TakesValue)
            {
                if (value is not null)
                {
                    throw new CliUsageException($"Option {option.Name} does not take an argument");
                }

                value = "";
            }
            else if (value is null)
            {
                if (i + 1 >= args.Count)
                {
                    throw new CliUsageException($"Option {option.Name} requires an argument");
                }

                value = args[++i];
            }

            if (!values.TryGetValue(option.Name, out var list))
            {
                values[option.Name] = list = [];
                given.Add(option.Name);
            }

            list.Add(value);
        }

        if (positional.Count > 0)
        {
            throw new CliUsageException($"Found non argument parameters: {string.Join(",", positional)}");
        }

        return new CliArguments(values, given);
    }

    /// <summary>An exact name, or the one option whose name starts with it.</summary>
    private static CliOption Resolve(string name, IReadOnlyList<CliOption> options)
    {
        var exact = options.FirstOrDefault(o => o.Name == name);
        if (exact is not null)
        {
            return exact;
        }

        var candidates = options.Where(o => o.Name.StartsWith(name, StringComparison.Ordinal)).ToList();
        return candidates.Count switch
        {
            1 => candidates[0],
            0 => throw new CliUsageException($"{name[2..]} is not a recognized option"),
            _ => throw new CliUsageException($"Option '{name[2..]}' is ambiguous: could be {string.Join(", ", candidates.Select(c => c.Name))}"),
        };
    }

    public bool Has(string name) => _values.ContainsKey(name);

    /// <summary>Every value given for <paramref name="name"/>, in order.</summary>
    public IReadOnlyList<string> Values(string name) => _values.TryGetValue(name, out var list) ? list : [];

    /// <summary>The value of a single-valued option (the last one when repeated, as Kafka's tools take it); null when absent.</summary>
    public string? Value(string name) => _values.TryGetValue(name, out var list) ? list[^1] : null;

    /// <summary>An integer option's value, or null when absent; non-numbers are usage errors.</summary>
    public int? IntValue(string name)
    {
        var text = Value(name);
        if (text is null)
        {
            return null;
        }

        return int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new CliUsageException($"Cannot parse argument '{text}' of option {name[2..]}");
    }
}
