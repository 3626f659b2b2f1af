using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tributary.Operator.Api;

/// <summary>Reads a quantity written as a JSON number or string; writes it back as it came in.</summary>
public sealed class QuantityJsonConverter : JsonConverter<Quantity>
{
    public override Quantity Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.String => new Quantity(reader.GetString()!),
            // Keep the number's original spelling ("1", "0.5") rather than a reformatted double.
            JsonTokenType.Number => new Quantity(System.Text.Encoding.UTF8.GetString(reader.ValueSpan)),
            _ => throw new JsonException("a quantity must be a string such as \"10Gi\" or a number"),
        };

    public override void Write(Utf8JsonWriter writer, Quantity value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        // Integers stay integers so a value read from YAML `cpu: 2` round-trips unchanged.
        if (long.TryParse(value.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var integer)
            && integer.ToString(CultureInfo.InvariantCulture) == value.Value)
        {
            writer.WriteNumberValue(integer);
        }
        else
        {
            writer.WriteStringValue(value.Value);
        }
    }
}
