namespace Tributary.Server.KafkaCli;

/// <summary>Kafka's topic name rules (org.apache.kafka.common.internals.Topic), checked before asking the broker.</summary>
public static class TopicNames
{
    public const int MaxLength = 249;

    public static void Validate(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0)
        {
            throw new CliUsageException("Topic name is illegal, it can't be empty");
        }

        if (name is "." or "..")
        {
            throw new CliUsageException("Topic name cannot be \".\" or \"..\"");
        }

        if (name.Length > MaxLength)
        {
            throw new CliUsageException($"Topic name is illegal, it can't be longer than {MaxLength} characters, topic name: {name}");
        }

        if (!name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
        {
            throw new CliUsageException($"Topic name \"{name}\" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'");
        }
    }

    /// <summary>Kafka warns when a name has '.' or '_': metric names map both to '_', so "a.b" and "a_b" collide.</summary>
    public static bool HasCollisionCharacters(string name) =>
        name is not null && (name.Contains('.', StringComparison.Ordinal) || name.Contains('_', StringComparison.Ordinal));

    public const string CollisionWarning =
        "WARNING: Due to limitations in metric names, topics with a period ('.') or underscore ('_') could collide. To avoid issues it is best to use either, but not both.";

    /// <summary>Internal topics Kafka hides with --exclude-internal.</summary>
    public static bool IsInternal(string name) => name is "__consumer_offsets" or "__transaction_state";
}
