namespace Tributary.Broker.Topics;

/// <summary>Kafka's topic name rules (Topic.validate) and the names of the internal topics.</summary>
public static class TopicNames
{
    public const int MaxLength = 249;
    public const string ConsumerOffsets = "__consumer_offsets";
    public const string TransactionState = "__transaction_state";

    /// <summary>The KRaft metadata log; a partition log, never a topic in the metadata image.</summary>
    public const string ClusterMetadata = "__cluster_metadata";

    /// <summary>Returns why <paramref name="name"/> is not a legal topic name, or null when it is.</summary>
    public static string? Validate(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "Topic name is illegal, it can't be empty";
        }

        if (name is "." or "..")
        {
            return "Topic name cannot be \".\" or \"..\"";
        }

        if (name.Length > MaxLength)
        {
            return $"Topic name is illegal, it can't be longer than {MaxLength} characters, topic name: {name}";
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                return $"Topic name \"{name}\" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'";
            }
        }

        return null;
    }

    public static bool IsValid(string? name) => Validate(name) is null;

    /// <summary>Topics Kafka treats as internal (clients may not delete them or auto-create them).</summary>
    public static bool IsInternal(string name) => name is ConsumerOffsets or TransactionState;

    /// <summary>
    /// '.' and '_' collide in metric names, so Kafka refuses a topic whose name equals an existing
    /// one with every '.' replaced by '_'. This is the name both map to.
    /// </summary>
    public static string Unify(string name) => name.Replace('.', '_');
}
