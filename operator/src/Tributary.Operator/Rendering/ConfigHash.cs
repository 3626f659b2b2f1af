using System.Security.Cryptography;
using System.Text;

namespace Tributary.Operator.Rendering;

/// <summary>
/// Hash of the configuration a StatefulSet's pods run with, put on the pod template so a change
/// produces a new StatefulSet revision and the roller restarts those pods (updateStrategy OnDelete).
/// Lines that only carry a pod's own identity (node.id, broker.rack, its own DNS name) are
/// normalised away, so adding a broker to a zone does not restart the brokers already there.
/// </summary>
public static class ConfigHash
{
    public static string Compute(IEnumerable<(string OwnHost, string PropertiesText)> nodes, string image)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        var variants = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (ownHost, text) in nodes)
        {
            var normalised = string.Join('\n', text.Split('\n')
                .Where(l => !l.StartsWith("node.id=", StringComparison.Ordinal) && !l.StartsWith("broker.rack=", StringComparison.Ordinal))
                .Select(l => l.StartsWith("advertised.listeners=", StringComparison.Ordinal) ? l.Replace(ownHost, "$(SELF)", StringComparison.Ordinal) : l));
            variants.Add(normalised);
        }

        var sb = new StringBuilder(image).Append('\0');
        foreach (var variant in variants)
        {
            sb.Append(variant).Append('\0');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }
}
