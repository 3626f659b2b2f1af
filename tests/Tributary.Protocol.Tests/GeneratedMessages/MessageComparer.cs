using System.Collections;

namespace Tributary.Protocol.Tests.GeneratedMessages;

/// <summary>Deep, field-by-field comparison of generated messages (tests only).</summary>
internal static class MessageComparer
{
    /// <summary>A description of the first difference, or null when equal.</summary>
    public static string? Difference(object? expected, object? actual, string path)
    {
        if (expected is null || actual is null)
        {
            return expected is null && actual is null ? null : $"{path}: {Show(expected)} vs {Show(actual)}";
        }

        switch (expected)
        {
            case byte[] bytes:
                return bytes.AsSpan().SequenceEqual((byte[])actual) ? null : $"{path}: bytes differ";
            case ReadOnlyMemory<byte> memory:
                return memory.Span.SequenceEqual(((ReadOnlyMemory<byte>)actual).Span) ? null : $"{path}: records differ";
            case string or bool or sbyte or short or ushort or int or uint or long or double or Guid:
                return expected.Equals(actual) ? null : $"{path}: {Show(expected)} vs {Show(actual)}";
            case IList list:
                var other = (IList)actual;
                if (list.Count != other.Count)
                {
                    return $"{path}: {list.Count} elements vs {other.Count}";
                }

                for (var i = 0; i < list.Count; i++)
                {
                    if (Difference(list[i], other[i], $"{path}[{i}]") is { } diff)
                    {
                        return diff;
                    }
                }

                return null;
            default:
                foreach (var (property, _) in MessageCatalog.Fields(expected.GetType()))
                {
                    if (Difference(property.GetValue(expected), property.GetValue(actual), $"{path}.{property.Name}") is { } diff)
                    {
                        return diff;
                    }
                }

                return null;
        }
    }

    private static string Show(object? value) => value switch
    {
        null => "null",
        string s => $"\"{s}\"",
        _ => value.ToString() ?? "?",
    };
}
