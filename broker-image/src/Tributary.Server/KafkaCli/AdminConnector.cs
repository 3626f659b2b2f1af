using Tributary.Client;
using Tributary.Client.Admin;

namespace Tributary.Server.KafkaCli;

/// <summary>Opens the admin client a Kafka tool talks through, from <c>--bootstrap-server</c> and <c>--command-config</c>.</summary>
public static class AdminConnector
{
    public static IKafkaAdminClient Open(string bootstrapServer, string? commandConfig, TextWriter warnings)
    {
        var properties = commandConfig is null ? new Dictionary<string, string>() : PropertiesFile.Load(commandConfig);
        ClientOptions options = ToolClientConfig.Build(bootstrapServer, properties, warnings);
        try
        {
            return new KafkaAdminClient(options);
        }
        catch (ArgumentException e)
        {
            throw new CliUsageException($"Invalid --bootstrap-server '{bootstrapServer}': {e.Message}", e);
        }
    }
}
