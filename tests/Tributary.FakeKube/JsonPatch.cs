using System.Globalization;
using System.Text.Json.Nodes;
using Tributary.Kube;

namespace Tributary.FakeKube;

/// <summary>RFC 6902 JSON patch (add, remove, replace, test, move, copy) over JSON pointers.</summary>
public static class JsonPatch
{
    public static JsonObject Apply(JsonObject target, JsonArray operations)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(operations);
        var doc = (JsonObject)target.DeepClone();
        foreach (var op in operations)
        {
            if (op is not JsonObject o)
            {
                throw FakeApiException.BadRequest("each JSON patch operation must be an object");
            }
            var path = o.GetString("path") ?? throw FakeApiException.BadRequest("JSON patch operation without path");
            switch (o.GetString("op"))
            {
                case "add":
                    Add(doc, path, o["value"]?.DeepClone());
                    break;
                case "remove":
                    Remove(doc, path);
                    break;
                case "replace":
                    Remove(doc, path);
                    Add(doc, path, o["value"]?.DeepClone());
                    break;
                case "test":
                    if (!JsonNode.DeepEquals(Get(doc, path), o["value"]))
                    {
                        throw new FakeApiException(422, "Invalid", $"JSON patch test failed at {path}");
                    }
                    break;
                case "move":
                    var from = o.GetString("from") ?? throw FakeApiException.BadRequest("move without from");
                    var moved = Get(doc, from)?.DeepClone();
                    Remove(doc, from);
                    Add(doc, path, moved);
                    break;
                case "copy":
                    Add(doc, path, Get(doc, o.GetString("from") ?? throw FakeApiException.BadRequest("copy without from"))?.DeepClone());
                    break;
                default:
                    throw FakeApiException.BadRequest($"unknown JSON patch op '{o.GetString("op")}'");
            }
        }
        return doc;
    }

    private static string[] Tokens(string pointer) =>
        pointer.Length == 0 ? [] : pointer.TrimStart('/').Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();

    private static JsonNode? Get(JsonNode doc, string pointer)
    {
        JsonNode? node = doc;
        foreach (var token in Tokens(pointer))
        {
            node = node switch
            {
                JsonObject o when o.ContainsKey(token) => o[token],
                JsonArray a when int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < a.Count => a[i],
                _ => throw new FakeApiException(422, "Invalid", $"JSON patch path {pointer} does not exist"),
            };
        }
        return node;
    }

    private static (JsonNode Parent, string Last) Parent(JsonNode doc, string pointer)
    {
        var tokens = Tokens(pointer);
        if (tokens.Length == 0)
        {
            throw FakeApiException.BadRequest("JSON patch cannot replace the whole document");
        }
        var parent = tokens.Length == 1
            ? doc
            : Get(doc, "/" + string.Join('/', tokens[..^1].Select(t => t.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal))));
        return (parent ?? throw new FakeApiException(422, "Invalid", $"JSON patch parent of {pointer} is null"), tokens[^1]);
    }

    private static void Add(JsonNode doc, string pointer, JsonNode? value)
    {
        var (parent, last) = Parent(doc, pointer);
        switch (parent)
        {
            case JsonObject o:
                o[last] = value;
                break;
            case JsonArray a when last == "-":
                a.Add(value);
                break;
            case JsonArray a when int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i <= a.Count:
                a.Insert(i, value);
                break;
            default:
                throw new FakeApiException(422, "Invalid", $"JSON patch cannot add at {pointer}");
        }
    }

    private static void Remove(JsonNode doc, string pointer)
    {
        var (parent, last) = Parent(doc, pointer);
        switch (parent)
        {
            case JsonObject o when o.ContainsKey(last):
                o.Remove(last);
                break;
            case JsonArray a when int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < a.Count:
                a.RemoveAt(i);
                break;
            default:
                throw new FakeApiException(422, "Invalid", $"JSON patch path {pointer} does not exist");
        }
    }
}
