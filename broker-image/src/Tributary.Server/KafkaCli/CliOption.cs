namespace Tributary.Server.KafkaCli;

/// <summary>One option of a Kafka command-line tool: its long name (with dashes), whether it takes a value, and its help text.</summary>
public sealed record CliOption(string Name, string Description, string? ValueName = null)
{
    public bool TakesValue => ValueName is not null;

    public static CliOption Flag(string name, string description) => new(name, description);

    public static CliOption WithValue(string name, string valueName, string description) => new(name, description, valueName);
}
