using System.Globalization;
using Tributary.Broker.Topics;

namespace Tributary.Broker.Metadata.Controller;

/// <summary>
/// The listener security configs (SSL and SASL) that Kafka lets AlterConfigs change per broker
/// (<c>DynamicBrokerConfig</c>'s per-broker configs): stored as dynamic configs of one broker
/// resource (never of the cluster default "") and described as DYNAMIC_BROKER_CONFIG.
/// </summary>
/// <remarks>
/// Kafka's rules, kept here: a key may carry a listener prefix (<c>listener.name.external.ssl.cipher.suites</c>,
/// and <c>listener.name.l.plain.sasl.jaas.config</c> for a SASL mechanism) and is then typed as
/// its base key; the keystore/truststore configs are accepted only with that prefix. Listener
/// addresses and plug-in classes, which Kafka also reconfigures, are not part of this set.
/// </remarks>
public static class ListenerSecurityConfigs
{
    public const string ListenerPrefix = "listener.name.";

    private const string JaasConfig = "sasl.jaas.config";

    private static readonly ListenerSecurityConfig[] Configs =
    [
        // SSL keystore/truststore (Kafka's SslConfigs.RECONFIGURABLE_CONFIGS): per listener only.
        Keystore("ssl.keystore.type", ConfigType.String, "JKS", "File format of the key store."),
        Keystore("ssl.keystore.location", ConfigType.String, null, "Location of the key store file."),
        Keystore("ssl.keystore.password", ConfigType.Password, null, "Password of the key store file."),
        Keystore("ssl.key.password", ConfigType.Password, null, "Password of the private key in the key store."),
        Keystore("ssl.keystore.key", ConfigType.Password, null, "Private key in the format of ssl.keystore.type."),
        Keystore("ssl.keystore.certificate.chain", ConfigType.Password, null, "Certificate chain in the format of ssl.keystore.type."),
        Keystore("ssl.truststore.type", ConfigType.String, "JKS", "File format of the trust store."),
        Keystore("ssl.truststore.location", ConfigType.String, null, "Location of the trust store file."),
        Keystore("ssl.truststore.password", ConfigType.Password, null, "Password of the trust store file."),
        Keystore("ssl.truststore.certificates", ConfigType.Password, null, "Trusted certificates in the format of ssl.truststore.type."),

        // Other SSL settings of a listener.
        Plain("ssl.protocol", ConfigType.String, "TLSv1.3", "TLS protocol used to create the SSL context."),
        Plain("ssl.provider", ConfigType.String, null, "Security provider used for SSL connections."),
        Plain("ssl.cipher.suites", ConfigType.List, null, "Cipher suites allowed for TLS connections (empty: all supported)."),
        Plain("ssl.enabled.protocols", ConfigType.List, "TLSv1.2,TLSv1.3", "Protocols enabled for SSL connections."),
        Plain("ssl.keymanager.algorithm", ConfigType.String, "SunX509", "Key manager factory algorithm."),
        Plain("ssl.trustmanager.algorithm", ConfigType.String, "PKIX", "Trust manager factory algorithm."),
        Plain("ssl.endpoint.identification.algorithm", ConfigType.String, "https", "Endpoint identification algorithm for server certificates."),
        Plain("ssl.secure.random.implementation", ConfigType.String, null, "SecureRandom implementation for SSL."),
        new(new TopicConfigDefinition
        {
            Name = "ssl.client.auth",
            BrokerSynonym = "ssl.client.auth",
            Type = ConfigType.String,
            KafkaDefault = "none",
            ValidValues = ["required", "requested", "none"],
            Documentation = "Whether the broker requests or requires client certificates.",
        }, "none", RequiresListenerPrefix: false),

        // SASL.
        Plain("sasl.mechanism.inter.broker.protocol", ConfigType.String, "GSSAPI", "SASL mechanism used between brokers."),
        Plain(JaasConfig, ConfigType.Password, null, "JAAS login context parameters for SASL connections."),
        Plain("sasl.enabled.mechanisms", ConfigType.List, "GSSAPI", "SASL mechanisms enabled on the broker."),
        Plain("sasl.kerberos.service.name", ConfigType.String, null, "Kerberos principal name the broker runs as."),
        Plain("sasl.kerberos.kinit.cmd", ConfigType.String, "/usr/bin/kinit", "Kerberos kinit command path."),
        Ranged("sasl.kerberos.ticket.renew.window.factor", 0.8, double.MinValue, double.MaxValue,
            "Fraction of the ticket lifetime after which the login thread renews the ticket."),
        Ranged("sasl.kerberos.ticket.renew.jitter", 0.05, double.MinValue, double.MaxValue,
            "Random jitter added to the Kerberos renewal time."),
        new(new TopicConfigDefinition
        {
            Name = "sasl.kerberos.min.time.before.relogin",
            BrokerSynonym = "sasl.kerberos.min.time.before.relogin",
            Type = ConfigType.Long,
            KafkaDefault = "60000",
            Documentation = "Login thread sleep time (ms) between refresh attempts.",
        }, "60000", RequiresListenerPrefix: false),
        Plain("sasl.kerberos.principal.to.local.rules", ConfigType.List, "DEFAULT", "Rules mapping principal names to short names."),
        Ranged("sasl.login.refresh.window.factor", 0.8, 0.5, 1.0,
            "Fraction of the credential lifetime after which the login refresh thread refreshes it (OAUTHBEARER)."),
        Ranged("sasl.login.refresh.window.jitter", 0.05, 0.0, 0.25,
            "Random jitter added to the login refresh time (OAUTHBEARER)."),
        Short("sasl.login.refresh.min.period.seconds", 60, 0, 900,
            "Minimum time (s) the login refresh thread waits before refreshing a credential (OAUTHBEARER)."),
        Short("sasl.login.refresh.buffer.seconds", 300, 0, 3600,
            "Time (s) before credential expiry to keep when refreshing it (OAUTHBEARER)."),
    ];

    /// <summary>Every config of the set, in name order (base names, without listener prefixes).</summary>
    public static IReadOnlyList<ListenerSecurityConfig> All { get; } = [.. Configs.OrderBy(c => c.Definition.Name, StringComparer.Ordinal)];

    /// <summary>
    /// The config a key names, with or without a listener prefix (<c>listener.name.NAME.KEY</c>,
    /// or <c>listener.name.NAME.MECHANISM.sasl.jaas.config</c>); null for any other key.
    /// </summary>
    public static ListenerSecurityConfig? Find(string key) => FindBase(BaseName(key));

    /// <summary>Whether <paramref name="key"/> carries a listener prefix.</summary>
    public static bool IsListenerPrefixed(string key) => BaseName(key) != key;

    /// <summary>
    /// Validates values for keys of this set (others are ignored): the keystore/truststore configs
    /// need a listener prefix, values must fit their type, and none of them may be set for the
    /// cluster-wide default resource. Returns Kafka's error message, or null when valid.
    /// </summary>
    public static string? Validate(IEnumerable<KeyValuePair<string, string?>> configs, bool perBroker)
    {
        ArgumentNullException.ThrowIfNull(configs);
        var ours = configs.Where(c => Find(c.Key) is not null).ToList();
        var unprefixed = ours.Where(c => Find(c.Key)!.RequiresListenerPrefix && !IsListenerPrefixed(c.Key)).Select(c => c.Key).ToList();
        if (unprefixed.Count > 0)
        {
            return $"These security configs can be dynamically updated only per-listener using the listener prefix: {string.Join(", ", unprefixed)}";
        }

        foreach (var (key, value) in ours)
        {
            if (Find(key)!.Definition.Validate(value, key) is { } invalid)
            {
                return invalid;
            }
        }

        if (!perBroker && ours.Count > 0)
        {
            return $"Cannot update these configs at default cluster level, broker id must be specified: {string.Join(", ", ours.Select(c => c.Key))}";
        }

        return null;
    }

    /// <summary>The key without its listener prefix (and mechanism, for JAAS configs); the key itself when unprefixed.</summary>
    private static string BaseName(string key)
    {
        if (!key.StartsWith(ListenerPrefix, StringComparison.Ordinal))
        {
            return key;
        }

        var dot = key.IndexOf('.', ListenerPrefix.Length);
        if (dot <= ListenerPrefix.Length || dot == key.Length - 1)
        {
            return key;
        }

        var rest = key[(dot + 1)..];
        if (FindBase(rest) is not null)
        {
            return rest;
        }

        // listener.name.NAME.MECHANISM.sasl.jaas.config: the JAAS config of one SASL mechanism.
        var mechanismDot = rest.IndexOf('.', StringComparison.Ordinal);
        return mechanismDot > 0 && rest[(mechanismDot + 1)..] == JaasConfig ? JaasConfig : key;
    }

    private static ListenerSecurityConfig? FindBase(string name) =>
        Array.Find(Configs, c => string.Equals(c.Definition.Name, name, StringComparison.Ordinal));

    private static ListenerSecurityConfig Keystore(string name, ConfigType type, string? defaultValue, string documentation) =>
        new(Definition(name, type, defaultValue, documentation), defaultValue, RequiresListenerPrefix: true);

    private static ListenerSecurityConfig Plain(string name, ConfigType type, string? defaultValue, string documentation) =>
        new(Definition(name, type, defaultValue, documentation), defaultValue, RequiresListenerPrefix: false);

    private static ListenerSecurityConfig Ranged(string name, double defaultValue, double min, double max, string documentation)
    {
        var text = defaultValue.ToString(CultureInfo.InvariantCulture);
        var definition = new TopicConfigDefinition
        {
            Name = name,
            BrokerSynonym = name,
            Type = ConfigType.Double,
            KafkaDefault = text,
            MinDouble = min,
            MaxDouble = max,
            Documentation = documentation,
        };
        return new ListenerSecurityConfig(definition, text, RequiresListenerPrefix: false);
    }

    /// <summary>A SHORT config: the shared definition has no short type check, so a custom one does it.</summary>
    private static ListenerSecurityConfig Short(string name, short defaultValue, short min, short max, string documentation)
    {
        var text = defaultValue.ToString(CultureInfo.InvariantCulture);
        var definition = new TopicConfigDefinition
        {
            Name = name,
            BrokerSynonym = name,
            Type = ConfigType.Short,
            KafkaDefault = text,
            Documentation = documentation,
            Custom = value => ConfigValues.TryParseLong(value, out var parsed) && parsed >= min && parsed <= max
                ? null
                : $"Invalid value {value} for configuration {name}: Value must be a short between {min} and {max}",
        };
        return new ListenerSecurityConfig(definition, text, RequiresListenerPrefix: false);
    }

    // BrokerSynonym = the key itself, so TopicConfigResolver.BrokerLayers resolves its broker-level
    // layers (per-broker dynamic value, static value) like those of other broker configs.
    private static TopicConfigDefinition Definition(string name, ConfigType type, string? defaultValue, string documentation) => new()
    {
        Name = name,
        BrokerSynonym = name,
        Type = type,
        KafkaDefault = defaultValue ?? "",
        Documentation = documentation,
    };
}
