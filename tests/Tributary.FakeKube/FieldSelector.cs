using System.Text.Json.Nodes;
using Tributary.Kube;

namespace Tributary.FakeKube;

/// <summary>Field selectors (path=value, path==value, path!=value) over any dotted field path.</summary>
public sealed class FieldSelector
{
    private readonly List<(string Path, string Value, bool Negate)> _terms = [];

    private FieldSelector()
    {
    }

    public static FieldSelector Parse(string? text)
    {
        var selector = new FieldSelector();
        if (string.IsNullOrWhiteSpace(text))
        {
            return selector;
        }
        foreach (var raw in text.Split(','))
        {
            var part = raw.Trim();
            var ne = part.IndexOf("!=", StringComparison.Ordinal);
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (ne > 0)
            {
                selector._terms.Add((part[..ne].Trim(), part[(ne + 2)..].Trim(), true));
            }
            else if (eq > 0)
            {
                selector._terms.Add((part[..eq].Trim(), part[(eq + 1)..].TrimStart('=').Trim(), false));
            }
            else
            {
                throw FakeApiException.BadRequest($"invalid field selector: '{part}'");
            }
        }
        return selector;
    }

    public bool Matches(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        foreach (var (path, value, negate) in _terms)
        {
            var node = obj.At(path);
            var actual = node is JsonValue v ? v.ToString() : "";
            if ((actual == value) == negate)
            {
                return false;
            }
        }
        return true;
    }
}
