using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Tributary.Kube;

/// <summary>
/// Converts YAML (kubeconfig files, manifests, apply bodies) into JSON nodes with YAML 1.2 core-schema
/// scalar typing: quoted scalars stay strings, plain ones become null/bool/number when they look like one.
/// </summary>
public static class KubeYaml
{
    /// <summary>Parses every document of a YAML stream; empty documents are skipped.</summary>
    public static IReadOnlyList<JsonNode> ParseDocuments(string yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new FormatException($"Invalid YAML: {e.Message}", e);
        }
        var result = new List<JsonNode>();
        foreach (var doc in stream.Documents)
        {
            if (ToJson(doc.RootNode) is { } node)
            {
                result.Add(node);
            }
        }
        return result;
    }

    /// <summary>Parses a single-document YAML (or JSON, which is YAML) into an object.</summary>
    public static JsonObject ParseObject(string yaml)
    {
        var docs = ParseDocuments(yaml);
        return docs.Count == 1 && docs[0] is JsonObject o
            ? o
            : throw new FormatException("Expected exactly one YAML document holding a mapping.");
    }

    private static JsonNode? ToJson(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode map:
                var obj = new JsonObject();
                foreach (var (k, v) in map.Children)
                {
                    var key = k is YamlScalarNode ks ? ks.Value ?? "" : throw new FormatException("Mapping keys must be scalars.");
                    obj[key] = ToJson(v);
                }
                return obj;
            case YamlSequenceNode seq:
                var arr = new JsonArray();
                foreach (var item in seq.Children)
                {
                    arr.Add(ToJson(item));
                }
                return arr;
            case YamlScalarNode scalar:
                return Scalar(scalar);
            default:
                throw new FormatException($"Unsupported YAML node {node.NodeType}.");
        }
    }

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style != ScalarStyle.Plain)
        {
            return JsonValue.Create(text);
        }
        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
        {
            return JsonValue.Create(l);
        }
        if (LooksNumeric(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            && !double.IsInfinity(d) && !double.IsNaN(d))
        {
            return JsonValue.Create(d);
        }
        return JsonValue.Create(text);
    }

    // double.TryParse accepts things like "Infinity"; only digits, sign, dot and exponent count as numbers.
    private static bool LooksNumeric(string text) =>
        text.Length > 0 && text.Any(char.IsAsciiDigit) && text.All(c => char.IsAsciiDigit(c) || c is '-' or '+' or '.' or 'e' or 'E');
}
