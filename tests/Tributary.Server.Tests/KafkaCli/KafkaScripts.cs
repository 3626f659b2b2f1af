using Tributary.TestSupport;

namespace Tributary.Server.Tests.KafkaCli;

/// <summary>
/// Runs the checked-in wrappers (tools/kafka-cli/bin/kafka-*.sh) as a user or librdkafka's test
/// suite does, pointed at the tributary.dll built beside these tests (TRIBUTARY_BIN).
/// </summary>
public static class KafkaScripts
{
    public static string BinDirectory { get; } = Checkout.Combine("tools", "kafka-cli", "bin");

    public static Task<ProcessResult> RunAsync(string script, params string[] arguments) =>
        RunWithInputAsync(script, null, arguments);

    public static Task<ProcessResult> RunWithInputAsync(string script, string? stdin, params string[] arguments) =>
        RealClients.RunAsync("/usr/bin/env",
            [$"TRIBUTARY_BIN=dotnet {Path.Combine(AppContext.BaseDirectory, "tributary.dll")}", "bash", Path.Combine(BinDirectory, script), .. arguments],
            stdin, TimeSpan.FromSeconds(60));
}
