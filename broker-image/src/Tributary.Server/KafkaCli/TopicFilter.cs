using System.Text.RegularExpressions;

namespace Tributary.Server.KafkaCli;

/// <summary>
/// Which topics <c>--topic</c> selects for list/describe/alter/delete: Kafka treats it as a regular
/// expression that must match the whole name, with commas meaning "or" and surrounding quotes ignored.
/// </summary>
public sealed class TopicFilter
{
    private readonly Regex? _regex;
    private readonly bool _excludeInternal;

    public TopicFilter(string? topic, bool excludeInternal)
    {
        _excludeInternal = excludeInternal;
        if (topic is null)
        {
            return;
        }

        var pattern = topic.Trim().Replace(',', '|').Trim('"', '\'');
        try
        {
            _regex = new Regex($"^(?:{pattern})$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException e)
        {
            throw new CliUsageException($"Invalid topic regular expression '{topic}': {e.Message}", e);
        }
    }

    public bool Matches(string name, bool isInternal) =>
        (_regex is null || _regex.IsMatch(name)) && !(_excludeInternal && (isInternal || TopicNames.IsInternal(name)));

    /// <summary>The matching names, sorted as Kafka lists them.</summary>
    public IReadOnlyList<string> Select(IEnumerable<(string Name, bool IsInternal)> topics) =>
        topics.Where(t => Matches(t.Name, t.IsInternal)).Select(t => t.Name).Order(StringComparer.Ordinal).ToList();
}
