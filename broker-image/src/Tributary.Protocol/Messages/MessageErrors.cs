using System.Globalization;
using Tributary.Protocol.Primitives;

namespace Tributary.Protocol.Messages;

/// <summary>The exceptions generated code raises, built in one place so messages stay consistent.</summary>
public static class MessageErrors
{
    public static ProtocolException UnsupportedVersion(string message, short version, short lowest, short highest) =>
        new(ProtocolError.UnsupportedVersion, string.Create(
            CultureInfo.InvariantCulture, $"{message} version {version} is not supported (valid versions {lowest}-{highest})"));

    public static ProtocolException UnknownApiKey(short key) =>
        new(ProtocolError.UnsupportedApiKey, string.Create(CultureInfo.InvariantCulture, $"unknown API key {key}"));

    /// <summary>Null on the wire for a field that is not nullable at this version.</summary>
    public static ProtocolException NullValue(string field) =>
        new(ProtocolError.InvalidLength, $"null for non-nullable field {field}");

    /// <summary>A known tagged field whose value did not fill its declared size exactly.</summary>
    public static ProtocolException TaggedFieldSize(uint tag, string field) =>
        new(ProtocolError.InvalidLength, string.Create(CultureInfo.InvariantCulture, $"tagged field {tag} ({field}) does not match its declared size"));

    /// <summary>Writing null into a field that is not nullable at the version written: a caller bug, not bad input.</summary>
    public static InvalidOperationException NullOnWrite(string field) =>
        new($"field {field} is null but not nullable at the version being written");
}
