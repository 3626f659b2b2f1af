using System.Text;
using Tributary.Client.Admin;
using Tributary.Protocol.Acls;

namespace Tributary.Server.KafkaCli;

/// <summary>
/// <c>tributary kafka-acls</c>: Kafka's kafka-acls.sh (3.9 syntax): add, remove and list ACLs through
/// CreateAcls/DeleteAcls/DescribeAcls. <c>--remove</c> asks for confirmation unless <c>--force</c>; with
/// no terminal to ask on it refuses instead of guessing.
/// </summary>
public sealed class AclsCommand : ICommand
{
    private readonly TextReader? _input;
    private readonly bool? _interactive;

    /// <param name="input">Where confirmations are read (standard input by default).</param>
    /// <param name="interactive">Whether a person can answer (default: standard input is a terminal).</param>
    public AclsCommand(TextReader? input = null, bool? interactive = null)
    {
        _input = input;
        _interactive = interactive;
    }

    public string Name => "kafka-acls";

    public string Summary => "Kafka's kafka-acls.sh: --bootstrap-server HOST:PORT --add|--remove|--list [--topic T|--group G|--cluster ...] (--help)";

    private static string Help => KafkaTool.Help(AclCommandOptions.Summary, AclCommandOptions.Options);

    public Task<int> RunAsync(IReadOnlyList<string> args, CommandIO io, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(io);
        return KafkaTool.RunAsync("Error while executing ACL command: ", Help, io, async () =>
        {
            var toolArgs = args.Skip(1).ToList();
            if (toolArgs.Count == 0)
            {
                throw new CliUsageException(AclCommandOptions.Summary);
            }

            var parsed = CliArguments.Parse(toolArgs, AclCommandOptions.Options);
            if (await KafkaTool.PrintedHelpOrVersionAsync(parsed, Help, io).ConfigureAwait(false))
            {
                return ExitCodes.Ok;
            }

            var options = AclCommandOptions.Parse(parsed);
            var interactive = _interactive ?? !Console.IsInputRedirected;
            if (options.Action == AclAction.Remove && !options.Force && !interactive)
            {
                throw new ToolFailure("--remove asks for confirmation, but standard input is not a terminal: add --force to remove without asking");
            }

            await using var admin = AdminConnector.Open(options.BootstrapServer, options.CommandConfig, io.Error);
            var confirm = options.Force ? null : new Func<string, Task<bool>>(async question =>
            {
                await io.Out.WriteLineAsync(question).ConfigureAwait(false);
                await io.Out.FlushAsync(stop).ConfigureAwait(false);
                var answer = await (_input ?? Console.In).ReadLineAsync(stop).ConfigureAwait(false);
                return string.Equals(answer?.Trim(), "y", StringComparison.OrdinalIgnoreCase);
            });
            await ExecuteAsync(options, admin, io.Out, confirm, stop).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
    }

    /// <param name="confirm">Asks a yes/no question; null means yes (--force).</param>
    public static async Task ExecuteAsync(AclCommandOptions options, IKafkaAdminClient admin, TextWriter output, Func<string, Task<bool>>? confirm,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(admin);
        ArgumentNullException.ThrowIfNull(output);
        switch (options.Action)
        {
            case AclAction.Add:
                await AddAsync(options, admin, output, cancellationToken).ConfigureAwait(false);
                await ListAsync(options, admin, output, cancellationToken).ConfigureAwait(false);
                break;
            case AclAction.Remove:
                if (await RemoveAsync(options, admin, output, confirm, cancellationToken).ConfigureAwait(false))
                {
                    await ListAsync(options, admin, output, cancellationToken).ConfigureAwait(false);
                }

                break;
            default:
                await ListAsync(options, admin, output, cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    private static async Task AddAsync(AclCommandOptions options, IKafkaAdminClient admin, TextWriter output, CancellationToken cancellationToken)
    {
        var bindings = new List<AclBinding>();
        foreach (var (resource, entries) in options.Additions)
        {
            await output.WriteAsync(AclText.Block("Adding ACLs for resource", AclText.Format(resource), entries)).ConfigureAwait(false);
            bindings.AddRange(entries.Select(e => new AclBinding(resource, e)));
        }

        var results = await admin.CreateAclsAsync(bindings, cancellationToken).ConfigureAwait(false);
        var failed = bindings.Distinct().Where(b => !results[b].IsSuccess).ToList();
        if (failed.Count > 0)
        {
            var first = results[failed[0]];
            throw new ToolFailure(KafkaErrorText.Of(first)
                + (failed.Count > 1 ? $" ({failed.Count} of {bindings.Count} ACLs were not created)" : ""));
        }
    }

    /// <summary>Returns false when the user declined.</summary>
    private static async Task<bool> RemoveAsync(AclCommandOptions options, IKafkaAdminClient admin, TextWriter output, Func<string, Task<bool>>? confirm,
        CancellationToken cancellationToken)
    {
        var filters = new List<AclBindingFilter>();
        foreach (var (resource, entries) in options.Removals)
        {
            var question = entries.Count == 0
                ? $"Are you sure you want to delete all ACLs for resource filter `{AclText.Format(resource)}`? (y/n)"
                : $"Are you sure you want to remove ACLs: \n {string.Join("\n", entries.Select(e => "\t" + AclText.Format(e)))} \n from resource filter `{AclText.Format(resource)}`? (y/n)";
            if (confirm is not null && !await confirm(question).ConfigureAwait(false))
            {
                return false;
            }

            if (entries.Count == 0)
            {
                filters.Add(new AclBindingFilter(resource, AccessControlEntryFilter.Any));
            }
            else
            {
                await output.WriteAsync(AclText.Block("Removing ACLs for resource", AclText.Format(resource), entries)).ConfigureAwait(false);
                filters.AddRange(entries.Select(e => new AclBindingFilter(resource, e.ToFilter())));
            }
        }

        var results = await admin.DeleteAclsAsync(filters, cancellationToken).ConfigureAwait(false);
        foreach (var filter in filters.Distinct())
        {
            var result = results[filter];
            if (!result.Result.IsSuccess)
            {
                throw new ToolFailure(KafkaErrorText.Of(result.Result));
            }

            if (result.Deleted.FirstOrDefault(d => !d.Result.IsSuccess) is { } failed)
            {
                throw new ToolFailure(KafkaErrorText.Of(failed.Result));
            }
        }

        return true;
    }

    private static async Task ListAsync(AclCommandOptions options, IKafkaAdminClient admin, TextWriter output, CancellationToken cancellationToken)
    {
        if (options.ListPrincipals.Count == 0)
        {
            await output.WriteAsync(await ListTextAsync(options, admin, null, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
            return;
        }

        foreach (var principal in options.ListPrincipals)
        {
            await output.WriteLineAsync($"ACLs for principal `{principal}`").ConfigureAwait(false);
            await output.WriteAsync(await ListTextAsync(options, admin, principal, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
        }
    }

    /// <summary>"Current ACLs for resource ..." blocks, one per resource pattern the filters match, in the broker's order.</summary>
    private static async Task<string> ListTextAsync(AclCommandOptions options, IKafkaAdminClient admin, string? principal, CancellationToken cancellationToken)
    {
        var bindings = new List<AclBinding>();
        foreach (var filter in options.ListFilters)
        {
            var entryFilter = new AccessControlEntryFilter(principal, null, AclOperation.Any, AclPermissionType.Any);
            bindings.AddRange(await admin.DescribeAclsAsync(new AclBindingFilter(filter, entryFilter), cancellationToken).ConfigureAwait(false));
        }

        var sb = new StringBuilder();
        foreach (var group in bindings.Distinct().GroupBy(b => b.Pattern))
        {
            sb.Append(AclText.Block("Current ACLs for resource", AclText.Format(group.Key), group.Select(b => b.Entry)));
        }

        return sb.ToString();
    }
}
