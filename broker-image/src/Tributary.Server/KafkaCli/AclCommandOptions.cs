using Tributary.Client.Admin;
using Tributary.Protocol.Acls;

namespace Tributary.Server.KafkaCli;

/// <summary>
/// <c>kafka-acls</c>' command line turned into what to do, as Kafka 3.9's AclCommand does it: the
/// ACLs to add per resource, the filters to remove or list. Pure; errors are <see cref="CliUsageException"/>.
/// </summary>
public sealed record AclCommandOptions
{
    public const string Summary = "This tool helps to manage acls on kafka.";

    private const string ResourceHint =
        "You must provide at least one resource: --topic <topic> or --cluster or --group <group> or --delegation-token <Delegation Token ID> or --transactional-id <transactional-id> or --user-principal <user-principal>";

    public static IReadOnlyList<CliOption> Options { get; } =
    [
        CliOption.Flag("--add", "Indicates you are trying to add ACLs."),
        CliOption.WithValue("--allow-host", "String: allow-host", "Host from which principals listed in --allow-principal will have access. If you have specified --allow-principal then the default for this option will be set to '*' which allows access from all hosts."),
        CliOption.WithValue("--allow-principal", "String: allow-principal", "principal is in principalType:name format. Note that principalType must be supported by the Authorizer being used. You can specify multiple --allow-principal options."),
        CliOption.WithValue("--bootstrap-server", "String: server to connect to", "A list of host/port pairs to use for establishing the connection to the Kafka cluster."),
        CliOption.Flag("--cluster", "Add/Remove cluster ACLs."),
        CliOption.WithValue("--command-config", "String: command-config", "A property file containing configs to be passed to Admin Client."),
        CliOption.Flag("--consumer", "Convenience option to add/remove ACLs for consumer role. This will generate ACLs that allows READ,DESCRIBE on topic and READ on group."),
        CliOption.WithValue("--delegation-token", "String: delegation-token", "Delegation token to which ACLs should be added or removed."),
        CliOption.WithValue("--deny-host", "String: deny-host", "Host from which principals listed in --deny-principal will be denied access. If you have specified --deny-principal then the default for this option will be set to '*' which denies access from all hosts."),
        CliOption.WithValue("--deny-principal", "String: deny-principal", "principal is in principalType:name format. By default anyone not added through --allow-principal is denied access."),
        CliOption.Flag("--force", "Assume Yes to all queries and do not prompt."),
        CliOption.WithValue("--group", "String: group", "Consumer Group to which the ACLs should be added or removed."),
        CliOption.Flag("--help", "Print usage information."),
        CliOption.Flag("--idempotent", "Enable idempotence for the producer. This should be used in combination with the --producer option."),
        CliOption.Flag("--list", "List ACLs for the specified resource, use --topic <topic> or --group <group> or --cluster to specify a resource."),
        CliOption.WithValue("--operation", "String", "Operation that is being allowed or denied. Valid operation names are: Describe, DescribeConfigs, Alter, IdempotentWrite, Read, Delete, Create, ClusterAction, All, CreateTokens, DescribeTokens, Write, AlterConfigs (default: All)"),
        CliOption.WithValue("--principal", "String: principal", "List ACLs for the specified principal. principal is in principalType:name format. Multiple --principal option can be passed."),
        CliOption.Flag("--producer", "Convenience option to add/remove ACLs for producer role. This will generate ACLs that allows WRITE,DESCRIBE and CREATE on topic."),
        CliOption.Flag("--remove", "Indicates you are trying to remove ACLs."),
        CliOption.WithValue("--resource-pattern-type", "ANY|MATCH|LITERAL|PREFIXED", "The type of the resource pattern or pattern filter. When adding acls, this should be a specific pattern type, e.g. 'literal' or 'prefixed'. (default: LITERAL)"),
        CliOption.WithValue("--topic", "String: topic", "topic to which ACLs should be added or removed. A value of '*' indicates ACL should apply to all topics."),
        CliOption.WithValue("--transactional-id", "String: transactional-id", "The transactionalId to which ACLs should be added or removed. A value of '*' indicates the ACLs should apply to all transactionalIds."),
        CliOption.WithValue("--user-principal", "String: user-principal", "Specifies a user principal as a resource in relation with the operation."),
        CliOption.Flag("--version", "Display Kafka version."),
    ];

    private static readonly Dictionary<AclResourceType, AclOperation[]> SupportedOperations = new()
    {
        [AclResourceType.Topic] = [AclOperation.Read, AclOperation.Write, AclOperation.Create, AclOperation.Describe, AclOperation.Delete, AclOperation.Alter, AclOperation.DescribeConfigs, AclOperation.AlterConfigs],
        [AclResourceType.Group] = [AclOperation.Read, AclOperation.Describe, AclOperation.Delete],
        [AclResourceType.Cluster] = [AclOperation.Create, AclOperation.ClusterAction, AclOperation.DescribeConfigs, AclOperation.AlterConfigs, AclOperation.IdempotentWrite, AclOperation.Alter, AclOperation.Describe],
        [AclResourceType.TransactionalId] = [AclOperation.Describe, AclOperation.Write],
        [AclResourceType.DelegationToken] = [AclOperation.Describe],
        [AclResourceType.User] = [AclOperation.CreateTokens, AclOperation.DescribeTokens],
    };

    public required AclAction Action { get; init; }

    public required string BootstrapServer { get; init; }

    public string? CommandConfig { get; init; }

    public bool Force { get; init; }

    /// <summary>Add: the entries to create on each resource.</summary>
    public IReadOnlyList<KeyValuePair<ResourcePattern, IReadOnlyList<AccessControlEntry>>> Additions { get; init; } = [];

    /// <summary>Remove: per resource filter, the entries to delete (empty: every ACL the filter matches).</summary>
    public IReadOnlyList<KeyValuePair<ResourcePatternFilter, IReadOnlyList<AccessControlEntry>>> Removals { get; init; } = [];

    /// <summary>The resource filters to list (also listed after add and remove): the given resources, or every resource.</summary>
    public IReadOnlyList<ResourcePatternFilter> ListFilters { get; init; } = [];

    /// <summary>List: only the ACLs of these principals (each listed under its own header); empty for all.</summary>
    public IReadOnlyList<string> ListPrincipals { get; init; } = [];

    public static AclCommandOptions Parse(CliArguments args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var actions = new[] { "--list", "--add", "--remove" }.Where(args.Has).ToList();
        if (actions.Count != 1)
        {
            throw new CliUsageException("Command must include exactly one action: --list, --add, --remove. ");
        }

        var action = actions[0] switch { "--add" => AclAction.Add, "--remove" => AclAction.Remove, _ => AclAction.List };
        var bootstrap = args.Value("--bootstrap-server");
        if (string.IsNullOrWhiteSpace(bootstrap))
        {
            throw new CliUsageException("Missing required argument \"[bootstrap-server]\"");
        }

        CheckCombinations(args, action);
        var patternType = args.Value("--resource-pattern-type") is { } typeText ? AclText.ParsePatternType(typeText) : AclPatternType.Literal;
        if (action == AclAction.Add && patternType is not (AclPatternType.Literal or AclPatternType.Prefixed))
        {
            throw new CliUsageException($"A '--resource-pattern-type' value of '{args.Value("--resource-pattern-type")}' is not valid when adding acls.");
        }

        var resources = Resources(args, patternType);
        var filters = resources.Count > 0 ? resources : [ResourcePatternFilter.Any];
        var options = new AclCommandOptions
        {
            Action = action,
            BootstrapServer = bootstrap,
            CommandConfig = args.Value("--command-config"),
            Force = args.Has("--force"),
            ListFilters = filters,
            ListPrincipals = args.Values("--principal").Select(AclText.ValidatePrincipal).Distinct(StringComparer.Ordinal).ToList(),
        };
        if (action == AclAction.List)
        {
            return options;
        }

        if (resources.Count == 0)
        {
            throw new CliUsageException(ResourceHint);
        }

        var perResource = args.Has("--producer") || args.Has("--consumer")
            ? RoleEntries(args, resources)
            : resources.Select(r => KeyValuePair.Create(r, (IReadOnlyList<AccessControlEntry>)Entries(args, Operations(args, r.Type)))).ToList();
        if (action == AclAction.Add)
        {
            if (perResource.Any(r => r.Value.Count == 0))
            {
                throw new CliUsageException("You must specify one of: --allow-principal, --deny-principal when trying to add ACLs.");
            }

            return options with
            {
                Additions = perResource.Select(r => KeyValuePair.Create(
                    new ResourcePattern(r.Key.Type, r.Key.Name!, r.Key.PatternType), r.Value)).ToList(),
            };
        }

        return options with { Removals = perResource };
    }

    private static void CheckCombinations(CliArguments args, AclAction action)
    {
        var listOnly = new[] { "--principal" };
        var changeOnly = new[] { "--allow-principal", "--deny-principal", "--allow-host", "--deny-host", "--producer", "--consumer", "--idempotent", "--force" };
        var actionName = action.ToString().ToLowerInvariant();
        foreach (var option in action == AclAction.List ? changeOnly.Except(["--force"]) : listOnly)
        {
            if (args.Has(option))
            {
                throw new CliUsageException($"Option \"[{option[2..]}]\" can't be used with option \"[{actionName}]\"");
            }
        }

        if ((args.Has("--producer") || args.Has("--consumer")) && args.Has("--operation"))
        {
            throw new CliUsageException($"Option \"[operation]\" can't be used with option \"[{(args.Has("--producer") ? "producer" : "consumer")}]\"");
        }

        if (args.Has("--idempotent") && !args.Has("--producer"))
        {
            throw new CliUsageException("The --idempotent option is only available if --producer is set.");
        }

        if (args.Has("--producer") && !args.Has("--topic"))
        {
            throw new CliUsageException("With --producer you must specify a --topic");
        }

        if (args.Has("--consumer") && (!args.Has("--topic") || !args.Has("--group") || (!args.Has("--producer") && (args.Has("--cluster") || args.Has("--transactional-id")))))
        {
            throw new CliUsageException("With --consumer you must specify a --topic and a --group and no --cluster or --transactional-id option should be specified.");
        }

        if (args.Has("--allow-host") && !args.Has("--allow-principal"))
        {
            throw new CliUsageException("--allow-host can only be used together with --allow-principal");
        }

        if (args.Has("--deny-host") && !args.Has("--deny-principal"))
        {
            throw new CliUsageException("--deny-host can only be used together with --deny-principal");
        }
    }

    /// <summary>The resources named on the command line, in the order Kafka groups them.</summary>
    private static List<ResourcePatternFilter> Resources(CliArguments args, AclPatternType patternType)
    {
        var result = new List<ResourcePatternFilter>();
        void Add(string option, AclResourceType type)
        {
            foreach (var name in args.Values(option))
            {
                if (name.Length == 0)
                {
                    throw new CliUsageException($"--{option[2..]} needs a non-empty name");
                }

                result.Add(new ResourcePatternFilter(type, name, patternType));
            }
        }

        Add("--topic", AclResourceType.Topic);
        if (args.Has("--cluster"))
        {
            result.Add(new ResourcePatternFilter(AclResourceType.Cluster, ResourcePattern.ClusterName, patternType));
        }

        Add("--group", AclResourceType.Group);
        Add("--transactional-id", AclResourceType.TransactionalId);
        Add("--delegation-token", AclResourceType.DelegationToken);
        Add("--user-principal", AclResourceType.User);
        return result.Distinct().ToList();
    }

    private static List<AclOperation> Operations(CliArguments args, AclResourceType type)
    {
        var operations = args.Has("--operation") ? args.Values("--operation").Select(AclText.ParseOperation).Distinct().ToList() : [AclOperation.All];
        var supported = SupportedOperations[type];
        var invalid = operations.Where(o => o != AclOperation.All && !supported.Contains(o)).ToList();
        return invalid.Count == 0
            ? operations
            : throw new CliUsageException($"ResourceType {AclText.JavaName(type)} only supports operations {string.Join(",", supported.Append(AclOperation.All).Select(o => AclText.JavaName(o)))}");
    }

    /// <summary>Allow principals x allow hosts (default "*") and deny principals x deny hosts, each with every operation.</summary>
    private static List<AccessControlEntry> Entries(CliArguments args, IReadOnlyList<AclOperation> operations)
    {
        var entries = new List<AccessControlEntry>();
        void Add(string principalOption, string hostOption, AclPermissionType permission)
        {
            var principals = args.Values(principalOption).Select(AclText.ValidatePrincipal).Distinct(StringComparer.Ordinal).ToList();
            var hosts = args.Has(hostOption) ? args.Values(hostOption).Distinct(StringComparer.Ordinal).ToList() : ["*"];
            foreach (var principal in principals)
            {
                foreach (var host in hosts)
                {
                    foreach (var operation in operations)
                    {
                        entries.Add(new AccessControlEntry(principal, host, operation, permission));
                    }
                }
            }
        }

        Add("--allow-principal", "--allow-host", AclPermissionType.Allow);
        Add("--deny-principal", "--deny-host", AclPermissionType.Deny);
        return entries;
    }

    /// <summary>
    /// --producer: Write, Describe, Create on topics; Write, Describe on transactional ids; IdempotentWrite
    /// on the cluster with --idempotent. --consumer: Read, Describe on topics; Read on groups.
    /// </summary>
    private static List<KeyValuePair<ResourcePatternFilter, IReadOnlyList<AccessControlEntry>>> RoleEntries(CliArguments args, List<ResourcePatternFilter> resources)
    {
        var operations = new Dictionary<ResourcePatternFilter, List<AclOperation>>();
        void Grant(ResourcePatternFilter resource, params AclOperation[] ops)
        {
            if (!operations.TryGetValue(resource, out var list))
            {
                operations[resource] = list = [];
            }

            list.AddRange(ops.Where(o => !list.Contains(o)));
        }

        foreach (var resource in resources)
        {
            switch (resource.Type)
            {
                case AclResourceType.Topic when args.Has("--producer"):
                    Grant(resource, AclOperation.Write, AclOperation.Describe, AclOperation.Create);
                    break;
                case AclResourceType.TransactionalId when args.Has("--producer"):
                    Grant(resource, AclOperation.Write, AclOperation.Describe);
                    break;
            }

            switch (resource.Type)
            {
                case AclResourceType.Topic when args.Has("--consumer"):
                    Grant(resource, AclOperation.Read, AclOperation.Describe);
                    break;
                case AclResourceType.Group when args.Has("--consumer"):
                    Grant(resource, AclOperation.Read);
                    break;
            }
        }

        if (args.Has("--idempotent"))
        {
            Grant(new ResourcePatternFilter(AclResourceType.Cluster, ResourcePattern.ClusterName, AclPatternType.Literal), AclOperation.IdempotentWrite);
        }

        return operations.Select(o => KeyValuePair.Create(o.Key, (IReadOnlyList<AccessControlEntry>)Entries(args, o.Value))).ToList();
    }
}
