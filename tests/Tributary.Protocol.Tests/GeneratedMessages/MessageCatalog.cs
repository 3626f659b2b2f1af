using Xunit;
using System.Reflection;
using Tributary.Protocol.Messages;

namespace Tributary.Protocol.Tests.GeneratedMessages;

/// <summary>Every generated top-level message type, found by reflection (tests only).</summary>
internal static class MessageCatalog
{
    public static IReadOnlyList<Type> All { get; } = typeof(IProtocolMessage).Assembly
        .GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false, IsNested: false } && typeof(IProtocolMessage).IsAssignableFrom(t))
        .OrderBy(t => t.FullName, StringComparer.Ordinal)
        .ToList();

    public static Type ByName(string fullName) =>
        All.Single(t => t.FullName == fullName);

    public static IProtocolMessage Create(Type type) => (IProtocolMessage)Activator.CreateInstance(type)!;

    /// <summary>(type full name, version) for every valid version of every message.</summary>
    public static TheoryData<string, short> EveryVersion()
    {
        var data = new TheoryData<string, short>();
        foreach (var type in All)
        {
            var message = Create(type);
            for (var v = message.LowestSupportedVersion; v <= message.HighestSupportedVersion; v++)
            {
                data.Add(type.FullName!, v);
            }
        }

        return data;
    }

    public static IEnumerable<(PropertyInfo Property, ProtocolFieldAttribute Field)> Fields(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => (p, p.GetCustomAttribute<ProtocolFieldAttribute>()))
            .Where(x => x.Item2 is not null)
            .Select(x => (x.p, x.Item2!));
}
