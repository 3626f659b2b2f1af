using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Tributary.Kube;

namespace Tributary.FakeKube;

/// <summary>Parses and evaluates label selectors: =, ==, !=, in, notin, exists, !exists.</summary>
public sealed partial class LabelSelector
{
    private readonly List<Func<JsonObject?, bool>> _requirements = [];

    private LabelSelector()
    {
    }

    public static LabelSelector Everything { get; } = new();

    /// <summary>Parses a selector; throws a 400 FakeApiException on bad syntax.</summary>
    public static LabelSelector Parse(string? text)
    {
        var selector = new LabelSelector();
        if (string.IsNullOrWhiteSpace(text))
        {
            return selector;
        }
        foreach (var raw in SplitTopLevel(text))
        {
            var part = raw.Trim();
            if (part.Length == 0)
            {
                throw FakeApiException.BadRequest($"unable to parse requirement: empty requirement in \"{text}\"");
            }
            selector._requirements.Add(ParseRequirement(part));
        }
        return selector;
    }

    public bool Matches(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var labels = obj["metadata"]?["labels"] as JsonObject;
        return _requirements.TrueForAll(r => r(labels));
    }

    private static Func<JsonObject?, bool> ParseRequirement(string part)
    {
        var set = SetRegex().Match(part);
        if (set.Success)
        {
            var key = ValidKey(set.Groups[1].Value);
            var values = set.Groups[3].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
            var negate = set.Groups[2].Value == "notin";
            return labels =>
            {
                var value = labels?.GetString(key);
                return negate ? value is null || !values.Contains(value) : value is not null && values.Contains(value);
            };
        }
        if (part.StartsWith('!'))
        {
            var key = ValidKey(part[1..].Trim());
            return labels => labels?.ContainsKey(key) != true;
        }
        var ne = part.IndexOf("!=", StringComparison.Ordinal);
        if (ne > 0)
        {
            var key = ValidKey(part[..ne].Trim());
            var value = part[(ne + 2)..].Trim();
            return labels => labels?.GetString(key) != value;
        }
        var eq = part.IndexOf('=', StringComparison.Ordinal);
        if (eq > 0)
        {
            var key = ValidKey(part[..eq].Trim());
            var value = part[(eq + 1)..].TrimStart('=').Trim();
            return labels => labels?.GetString(key) == value;
        }
        var existsKey = ValidKey(part);
        return labels => labels?.ContainsKey(existsKey) == true;
    }

    private static string ValidKey(string key) =>
        KeyRegex().IsMatch(key) ? key : throw FakeApiException.BadRequest($"unable to parse requirement: invalid label key \"{key}\"");

    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case ',' when depth == 0:
                    yield return text[start..i];
                    start = i + 1;
                    break;
            }
        }
        yield return text[start..];
    }

    [GeneratedRegex(@"^([A-Za-z0-9._/-]+)\s+(in|notin)\s*\(([^)]*)\)$")]
    private static partial Regex SetRegex();

    [GeneratedRegex(@"^([A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")]
    private static partial Regex KeyRegex();
}
