using System.Collections;
using System.Text;
using Tributary.Protocol.Generator;
using Tributary.Protocol.Messages;

namespace Tributary.Protocol.Tests.GeneratedMessages;

/// <summary>
/// Fills a generated message with values that differ from every default, in exactly the fields
/// a version carries (read from <see cref="ProtocolFieldAttribute"/>). With <c>nulls</c> set,
/// fields nullable at that version get null instead. Values are deterministic per seed and
/// include multi-byte UTF-8 so string sizes differ from character counts.
/// </summary>
internal sealed class MessagePopulator
{
    private int _seed;

    public MessagePopulator(int seed) => _seed = seed;

    public void Populate(object message, short version, bool nulls)
    {
        ArgumentNullException.ThrowIfNull(message);
        foreach (var (property, field) in MessageCatalog.Fields(message.GetType()))
        {
            if (!VersionRange.Parse(field.Versions).Contains(version))
            {
                continue;
            }

            if (nulls && VersionRange.Parse(field.NullableVersions).Contains(version))
            {
                property.SetValue(message, null);
                continue;
            }

            var current = property.GetValue(message);
            var value = NonDefault(property.PropertyType, current, version, nulls);
            property.SetValue(message, value);
        }
    }

    private object NonDefault(Type type, object? current, short version, bool nulls)
    {
        var n = ++_seed;
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying == typeof(bool))
        {
            return !(bool)(current ?? false);
        }

        // Adding 1..7 (mod the type's range) can never give back the current value.
        var step = 1 + (n % 7);
        if (underlying == typeof(sbyte))
        {
            return unchecked((sbyte)((sbyte)(current ?? (sbyte)0) + step));
        }

        if (underlying == typeof(short))
        {
            return unchecked((short)((short)(current ?? (short)0) + step));
        }

        if (underlying == typeof(ushort))
        {
            return unchecked((ushort)((ushort)(current ?? (ushort)0) + step));
        }

        if (underlying == typeof(int))
        {
            return unchecked((int)(current ?? 0) + step);
        }

        if (underlying == typeof(uint))
        {
            return unchecked((uint)(current ?? 0u) + (uint)step);
        }

        if (underlying == typeof(long))
        {
            return unchecked((long)(current ?? 0L) + step);
        }

        if (underlying == typeof(double))
        {
            return (double)(current ?? 0d) + step + 0.25;
        }

        if (underlying == typeof(string))
        {
            return $"v{n}-é€";
        }

        if (underlying == typeof(Guid))
        {
            return new Guid(n, (short)(n >> 3), 0x4123, 0x81, 2, 3, 4, 5, 6, 7, (byte)n);
        }

        if (underlying == typeof(byte[]))
        {
            return new byte[] { 1, 2, 3, (byte)n };
        }

        if (underlying == typeof(ReadOnlyMemory<byte>))
        {
            return (ReadOnlyMemory<byte>?)Encoding.UTF8.GetBytes($"records-{n}");
        }

        if (underlying.IsGenericType && underlying.GetGenericTypeDefinition() == typeof(List<>))
        {
            var elementType = underlying.GetGenericArguments()[0];
            var list = (IList)Activator.CreateInstance(underlying)!;
            for (var i = 0; i < 2; i++)
            {
                list.Add(Element(elementType, version, nulls));
            }

            return list;
        }

        if (underlying.IsClass && underlying.IsNested)
        {
            return Struct(underlying, version, nulls);
        }

        throw new InvalidOperationException($"no non-default value for {type}");
    }

    private object Element(Type elementType, short version, bool nulls)
    {
        if (elementType.IsClass && elementType != typeof(string) && elementType != typeof(byte[]))
        {
            return Struct(elementType, version, nulls);
        }

        var defaultValue = elementType.IsValueType ? Activator.CreateInstance(elementType) : null;
        return NonDefault(elementType, defaultValue, version, nulls);
    }

    private object Struct(Type type, short version, bool nulls)
    {
        var instance = Activator.CreateInstance(type)!;
        Populate(instance, version, nulls);
        return instance;
    }

    /// <summary>Fields the version carries whose value equals a fresh instance's (should be none).</summary>
    public static IEnumerable<string> FieldsStillDefault(object message, short version)
    {
        var fresh = Activator.CreateInstance(message.GetType())!;
        foreach (var (property, field) in MessageCatalog.Fields(message.GetType()))
        {
            if (VersionRange.Parse(field.Versions).Contains(version)
                && MessageComparer.Difference(property.GetValue(fresh), property.GetValue(message), property.Name) is null)
            {
                yield return property.Name;
            }
        }
    }

}
