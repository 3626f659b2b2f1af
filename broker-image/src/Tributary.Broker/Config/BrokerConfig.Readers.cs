using System.Collections.Frozen;
using System.Globalization;

namespace Tributary.Broker.Config;

// The individual readers and cross-key checks behind BrokerConfig.Parse.
public sealed partial class BrokerConfig
{
    private static int ReadNodeId(ConfigReader r)
    {
        int? nodeId = r.GetOptionalInt("node.id", min: 0);
        int? brokerId = r.GetOptionalInt("broker.id", min: 0);
        if (nodeId is { } n && brokerId is { } b && n != b)
        {
            throw new ConfigException("broker.id", b.ToString(CultureInfo.InvariantCulture), $"must equal node.id ({n}) when both are set");
        }

        return nodeId ?? brokerId
            ?? throw new ConfigException("node.id", null, "is required (a non-negative integer unique in the cluster)");
    }

    private static ProcessRoles ReadRoles(ConfigReader r)
    {
        string? text = r.GetString("process.roles");
        var roles = ProcessRoles.None;
        foreach (string role in ConfigReader.SplitList(text ?? ""))
        {
            ProcessRoles next = role.ToLowerInvariant() switch
            {
                "broker" => ProcessRoles.Broker,
                "controller" => ProcessRoles.Controller,
                _ => throw new ConfigException("process.roles", text, $"unknown role '{role}' (expected broker and/or controller)"),
            };
            if ((roles & next) != 0)
            {
                throw new ConfigException("process.roles", text, $"role '{role}' is listed twice");
            }

            roles |= next;
        }

        return roles != ProcessRoles.None
            ? roles
            : throw new ConfigException("process.roles", text, "is required: broker, controller, or broker,controller");
    }

    private static ListenerEndpoint[] ReadListeners(string key, string text)
    {
        var listeners = ConfigReader.SplitList(text).Select(entry => ParseListener(key, text, entry)).ToArray();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var ports = new HashSet<(string, int)>();
        foreach (var l in listeners)
        {
            if (!names.Add(l.Name))
            {
                throw new ConfigException(key, text, $"listener name '{l.Name}' appears more than once");
            }

            // Advertised listeners may share a port (behind a proxy); bound ones cannot.
            if (key == "listeners" && l.Port != 0 && !ports.Add((l.Host, l.Port)))
            {
                throw new ConfigException(key, text, $"port {l.Port} is used by more than one listener");
            }
        }

        return listeners;
    }

    /// <summary>Parses one entry, reporting errors against the whole value so the message shows what was configured.</summary>
    private static ListenerEndpoint ParseListener(string key, string text, string entry)
    {
        try
        {
            return ListenerEndpoint.Parse(entry, key);
        }
        catch (ConfigException e) when (entry != text)
        {
            throw new ConfigException(key, text, $"'{entry}': {e.Reason}");
        }
    }

    private static FrozenDictionary<string, SecurityProtocol> ReadProtocolMap(ConfigReader r, string[] controllerNames)
    {
        string? explicitMap = r.GetString("listener.security.protocol.map");
        var map = new Dictionary<string, SecurityProtocol>(StringComparer.Ordinal);
        foreach (string entry in ConfigReader.SplitList(explicitMap ?? DefaultProtocolMap))
        {
            int colon = entry.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || !SecurityProtocolNames.TryParse(entry[(colon + 1)..], out var protocol))
            {
                throw new ConfigException("listener.security.protocol.map", explicitMap, $"entry '{entry}' must be NAME:PLAINTEXT|SSL|SASL_PLAINTEXT|SASL_SSL");
            }

            map[entry[..colon].Trim().ToUpperInvariant()] = protocol;
        }

        if (explicitMap is null)
        {
            // Like Kafka in KRaft mode: controller listeners not in the default map speak PLAINTEXT.
            foreach (string name in controllerNames)
            {
                map.TryAdd(name, SecurityProtocol.Plaintext);
            }
        }

        return map.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static ListenerEndpoint[] ReadAdvertised(ConfigReader r, ListenerEndpoint[] listeners, string[] controllerNames, ProcessRoles roles)
    {
        string? text = r.GetString("advertised.listeners");
        ListenerEndpoint[] advertised = text is null
            ? listeners.Where(l => (roles & ProcessRoles.Broker) == 0 || !controllerNames.Contains(l.Name)).ToArray()
            : ReadListeners("advertised.listeners", text);
        foreach (var a in advertised)
        {
            if (a.Host is "0.0.0.0" or "::")
            {
                throw new ConfigException("advertised.listeners", text ?? a.ToString(), $"'{a}' advertises the non-routable address {a.Host}; set advertised.listeners to a reachable host");
            }

            if (!listeners.Any(l => l.Name == a.Name))
            {
                throw new ConfigException("advertised.listeners", text, $"listener '{a.Name}' is not in listeners");
            }
        }

        return advertised;
    }

    private static string ReadInterBrokerListener(ConfigReader r)
    {
        string? name = r.GetString("inter.broker.listener.name");
        string? protocol = r.GetString("security.inter.broker.protocol");
        if (name is not null && protocol is not null)
        {
            throw new ConfigException("security.inter.broker.protocol", protocol, "only one of inter.broker.listener.name and security.inter.broker.protocol may be set");
        }

        if (protocol is not null)
        {
            if (!SecurityProtocolNames.TryParse(protocol, out var parsed))
            {
                throw new ConfigException("security.inter.broker.protocol", protocol, "expected PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL");
            }

            return parsed.ToKafkaName();
        }

        return (name ?? "PLAINTEXT").ToUpperInvariant();
    }

    private static void ValidateKRaft(
        int nodeId, ProcessRoles roles, ListenerEndpoint[] listeners, ListenerEndpoint[] advertised,
        IReadOnlyDictionary<string, SecurityProtocol> protocols, string[] controllerNames, string interBroker,
        QuorumVoter[] voters, IReadOnlyList<string> bootstrap)
    {
        string listenersText = string.Join(',', listeners.Select(l => l.ToString()));
        foreach (var l in listeners)
        {
            if (!protocols.ContainsKey(l.Name))
            {
                throw new ConfigException("listener.security.protocol.map", string.Join(',', protocols.Select(p => $"{p.Key}:{p.Value.ToKafkaName()}")),
                    $"has no entry for listener '{l.Name}'");
            }
        }

        if (controllerNames.Length == 0)
        {
            throw new ConfigException("controller.listener.names", null, "is required in KRaft mode (e.g. CONTROLLER)");
        }

        bool controller = (roles & ProcessRoles.Controller) != 0;
        bool broker = (roles & ProcessRoles.Broker) != 0;
        foreach (string name in controllerNames)
        {
            bool listed = listeners.Any(l => l.Name == name);
            if (controller && !listed)
            {
                throw new ConfigException("listeners", listenersText, $"controller listener '{name}' (controller.listener.names) must appear in listeners on a controller");
            }

            if (!controller && listed)
            {
                throw new ConfigException("listeners", listenersText, $"controller listener '{name}' must not appear in listeners on a broker-only node");
            }
        }

        if (broker)
        {
            if (controllerNames.Contains(interBroker))
            {
                throw new ConfigException("inter.broker.listener.name", interBroker, "must not be a controller listener");
            }

            if (!advertised.Any(a => a.Name == interBroker))
            {
                throw new ConfigException("inter.broker.listener.name", interBroker, "must be one of the (advertised) listeners");
            }

            if (controllerNames.Any(n => advertised.Any(a => a.Name == n)))
            {
                throw new ConfigException("advertised.listeners", string.Join(',', advertised.Select(a => a.ToString())), "must not contain controller listeners");
            }
        }

        if (voters.Length == 0 && bootstrap.Count == 0)
        {
            throw new ConfigException("controller.quorum.voters", null, "one of controller.quorum.voters or controller.quorum.bootstrap.servers is required");
        }

        if (voters.Select(v => v.Id).Distinct().Count() != voters.Length)
        {
            throw new ConfigException("controller.quorum.voters", string.Join(',', voters.Select(v => v.ToString())), "a voter id appears more than once");
        }

        if (controller && voters.Length > 0 && !voters.Any(v => v.Id == nodeId))
        {
            throw new ConfigException("controller.quorum.voters", string.Join(',', voters.Select(v => v.ToString())), $"does not contain this controller's node.id {nodeId}");
        }
    }

    private static string? ReadClusterId(ConfigReader r)
    {
        string? id = NullIfEmpty(r.GetString("cluster.id"));
        if (id is not null && !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw new ConfigException("cluster.id", id, "may contain only letters, digits, '-' and '_' (a base64url UUID, as kafka-storage random-uuid prints)");
        }

        return id;
    }

    /// <summary>Kafka's precedence: log.retention.ms, else .minutes, else .hours; any negative value means unlimited.</summary>
    private static long ReadRetentionMs(ConfigReader r)
    {
        long ms;
        string key;
        if (r.GetOptionalLong("log.retention.ms") is { } explicitMs)
        {
            (ms, key) = (explicitMs, "log.retention.ms");
        }
        else if (r.GetOptionalInt("log.retention.minutes") is { } minutes)
        {
            (ms, key) = (minutes * MsPerMinute, "log.retention.minutes");
        }
        else
        {
            (ms, key) = (r.GetInt("log.retention.hours", 168) * MsPerHour, "log.retention.hours");
        }

        r.Has("log.retention.minutes");
        r.Has("log.retention.hours");
        if (ms == 0)
        {
            throw new ConfigException(key, "0", "must be unlimited (-1) or at least 1 ms");
        }

        return ms < 0 ? -1 : ms;
    }

    private static CleanupPolicy ReadCleanupPolicy(ConfigReader r)
    {
        string? text = r.GetString("log.cleanup.policy");
        var policy = CleanupPolicy.None;
        foreach (string p in ConfigReader.SplitList(text ?? "delete"))
        {
            policy |= p.ToLowerInvariant() switch
            {
                "delete" => CleanupPolicy.Delete,
                "compact" => CleanupPolicy.Compact,
                _ => throw new ConfigException("log.cleanup.policy", text, $"unknown policy '{p}' (expected delete and/or compact)"),
            };
        }

        return policy != CleanupPolicy.None ? policy : throw new ConfigException("log.cleanup.policy", text, "must name delete and/or compact");
    }

    private static string ReadOneOf(ConfigReader r, string key, string defaultValue, params string[] allowed)
    {
        string value = r.GetString(key, defaultValue);
        return allowed.FirstOrDefault(a => string.Equals(a, value, StringComparison.OrdinalIgnoreCase))
            ?? throw new ConfigException(key, value, $"expected one of {string.Join(", ", allowed)}");
    }

    private static long ReadIdleMs(ConfigReader r)
    {
        long ms = r.GetLong("connections.max.idle.ms", 600_000, min: -1);
        return ms == 0 ? throw new ConfigException("connections.max.idle.ms", "0", "must be -1 (never) or at least 1 ms") : ms;
    }

    /// <summary><c>tributary.metrics.listener</c>: <c>host:port</c> (optionally <c>http://</c>); empty or <c>none</c> disables.</summary>
    private static ListenerEndpoint? ReadMetricsListener(ConfigReader r)
    {
        const string key = "tributary.metrics.listener";
        string text = r.GetString(key, ":9404");
        if (text.Length == 0 || text.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        string hostPort = text.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ? text["http://".Length..] : text;
        var (host, port) = HostPort.Parse(hostPort, key, text);
        return new ListenerEndpoint("HTTP", host, port);
    }

    /// <summary>
    /// <c>authorizer.class.name</c>: empty (no authorizer) or one of Kafka's ACL authorizers, which
    /// Tributary implements itself; any other class cannot be loaded, so the broker refuses to start.
    /// </summary>
    private static string ReadAuthorizer(ConfigReader r)
    {
        const string key = "authorizer.class.name";
        string value = r.GetString(key, "").Trim();
        if (value.Length == 0 || Security.Authorizer.IsSupported(value))
        {
            return value;
        }

        throw new ConfigException(key, value,
            $"unsupported authorizer; Tributary enforces ACLs with {Security.Authorizer.StandardAuthorizerClass} (or {Security.Authorizer.AclAuthorizerClass}), or leave it empty for none");
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
