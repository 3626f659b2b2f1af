using System.Globalization;
using Tributary.Broker.Config;
using Tributary.Broker.Metadata;
using Tributary.Broker.Network;
using Tributary.Broker.Requests;
using Tributary.Broker.Security;
using Tributary.Broker.Topics;
using Tributary.Protocol;
using Tributary.Protocol.Acls;
using Tributary.Protocol.Messages;

namespace Tributary.Broker.Handlers.Admin;

/// <summary>
/// DescribeConfigs v0-4 for topics (every topic config with its effective value and source) and
/// brokers (this broker's id: all its configs; "": the dynamic cluster-wide defaults), with
/// synonyms (v1+, when asked), config types and documentation (v3+, when asked).
/// </summary>
public sealed class DescribeConfigsHandler : RequestHandler<DescribeConfigsRequest, DescribeConfigsResponse>
{
    private readonly RequestAuthorizer _authorizer;
    private readonly IMetadataView _metadata;
    private readonly BrokerConfig _config;
    private readonly TopicConfigResolver _resolver;
    private readonly BrokerConfigCatalog _catalog;

    public DescribeConfigsHandler(IMetadataView metadata, BrokerConfig config, TopicConfigResolver resolver, BrokerConfigCatalog catalog, RequestAuthorizer? authorizer = null)
        : base(ApiKey.DescribeConfigs, 0, 4)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(resolver);
        ArgumentNullException.ThrowIfNull(catalog);
        _metadata = metadata;
        _config = config;
        _resolver = resolver;
        _catalog = catalog;
        _authorizer = authorizer ?? RequestAuthorizer.Disabled;
    }

    protected override ValueTask<DescribeConfigsResponse?> HandleAsync(RequestContext context, RequestHeader header, DescribeConfigsRequest request, CancellationToken ct)
    {
        var image = _metadata.Current;
        var includeSynonyms = header.RequestApiVersion >= 1 && request.IncludeSynonyms;
        var includeDocs = header.RequestApiVersion >= 3 && request.IncludeDocumentation;
        var response = new DescribeConfigsResponse();
        foreach (var resource in request.Resources)
        {
            var result = new DescribeConfigsResponse.DescribeConfigsResult
            {
                ResourceType = resource.ResourceType,
                ResourceName = resource.ResourceName,
                ErrorMessage = null,
            };
            response.Results.Add(result);
            var refused = ConfigResourceAuthorization.Check(_authorizer, context, resource.ResourceType, resource.ResourceName, AclOperation.DescribeConfigs);
            var (configs, error, message) = refused == ErrorCode.None
                ? Describe(image, resource)
                : (null, refused, ConfigResourceAuthorization.Message(refused));
            if (configs is null)
            {
                result.ErrorCode = (short)error;
                result.ErrorMessage = message;
                continue;
            }

            var keys = resource.ConfigurationKeys is { Count: > 0 } k ? k.ToHashSet(StringComparer.Ordinal) : null;
            foreach (var config in configs.Where(c => keys is null || keys.Contains(c.Name)))
            {
                result.Configs.Add(new DescribeConfigsResponse.DescribeConfigsResourceResult
                {
                    Name = config.Name,
                    Value = config.IsSensitive ? null : config.Value,
                    ReadOnly = config.ReadOnly,
                    IsDefault = config.Source == ConfigSource.DefaultConfig,
                    ConfigSource = (sbyte)config.Source,
                    IsSensitive = config.IsSensitive,
                    Synonyms = includeSynonyms
                        ? [.. config.Synonyms.Select(s => new DescribeConfigsResponse.DescribeConfigsSynonym { Name = s.Name, Value = config.IsSensitive ? null : s.Value, Source = (sbyte)s.Source })]
                        : [],
                    ConfigType = (sbyte)config.Type,
                    Documentation = includeDocs ? config.Documentation : null,
                });
            }
        }

        return ValueTask.FromResult<DescribeConfigsResponse?>(response);
    }

    private (IReadOnlyList<ResolvedConfig>?, ErrorCode, string?) Describe(MetadataImage image, DescribeConfigsRequest.DescribeConfigsResource resource)
    {
        var name = resource.ResourceName;
        switch ((ConfigResourceType)resource.ResourceType)
        {
            case ConfigResourceType.Topic:
                if (TopicNames.Validate(name) is { } invalid)
                {
                    return (null, ErrorCode.InvalidTopicException, invalid);
                }

                return image.Topic(name) is null
                    ? (null, ErrorCode.UnknownTopicOrPartition, $"The topic '{name}' does not exist.")
                    : (_resolver.Describe(image, name), ErrorCode.None, null);
            case ConfigResourceType.Broker when name.Length == 0:
                return (BrokerConfigCatalog.DescribeClusterDefaults(image), ErrorCode.None, null);
            case ConfigResourceType.Broker:
            case ConfigResourceType.BrokerLogger:
                if (!int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id != _config.NodeId)
                {
                    return (null, ErrorCode.InvalidRequest, $"Unexpected broker id, expected {_config.NodeId} or empty string, but received {name}");
                }

                // This broker has no log4j loggers to describe: an empty list, not an error.
                return resource.ResourceType == (sbyte)ConfigResourceType.BrokerLogger
                    ? ([], ErrorCode.None, null)
                    : (_catalog.DescribeBroker(image), ErrorCode.None, null);
            default:
                return (null, ErrorCode.InvalidRequest, $"Unsupported resource type {resource.ResourceType}.");
        }
    }
}
