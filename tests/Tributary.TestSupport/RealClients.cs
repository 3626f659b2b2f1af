using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using Confluent.Kafka;

namespace Tributary.TestSupport;

/// <summary>
/// Independent real Kafka clients for tests: Confluent.Kafka over Debian's librdkafka, kcat and
/// python3 (kafka-python, confluent-kafka). tools/deps.sh installs the native parts.
/// </summary>
public static class RealClients
{
    /// <summary>Debian's librdkafka1 (2.0.2); librdkafka.redist is not used.</summary>
    public const string LibrdkafkaPath = "/usr/lib/x86_64-linux-gnu/librdkafka.so.1";

    public const string KcatPath = "/usr/bin/kcat";

    private static readonly Lock Gate = new();
    private static bool _loaded;

    public static bool IsLibrdkafkaInstalled => File.Exists(LibrdkafkaPath);

    public static bool IsKcatInstalled => File.Exists(KcatPath);

    /// <summary>
    /// Loads librdkafka into Confluent.Kafka once per process. Confluent.Kafka 1.9.3 dlopen()s
    /// through an import named "libdl", which glibc 2.34+ only ships as libdl.so.2, so that
    /// import is resolved by hand before loading, as is "librdkafka" (Debian has no unversioned .so).
    /// </summary>
    public static void EnsureLoaded()
    {
        lock (Gate)
        {
            if (_loaded)
            {
                return;
            }

            if (!IsLibrdkafkaInstalled)
            {
                throw new InvalidOperationException($"{LibrdkafkaPath} is missing: run tools/deps.sh (Debian package librdkafka1)");
            }

            NativeLibrary.SetDllImportResolver(typeof(Library).Assembly, ResolveImport);
            Library.Load(LibrdkafkaPath);
            _loaded = true;
        }
    }

    private static nint ResolveImport(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) => libraryName switch
    {
        "libdl" => NativeLibrary.Load("libdl.so.2"),
        // Its P/Invokes name "librdkafka", but Debian ships only the versioned librdkafka.so.1.
        "librdkafka" => NativeLibrary.Load(LibrdkafkaPath),
        _ => 0,
    };

    public static ProducerConfig ProducerConfig(string bootstrapServers)
    {
        EnsureLoaded();
        return new ProducerConfig
        {
            BootstrapServers = bootstrapServers,
            ClientId = "tributary-tests",
            MessageTimeoutMs = 15000,
            SocketTimeoutMs = 10000,
        };
    }

    public static AdminClientConfig AdminConfig(string bootstrapServers)
    {
        EnsureLoaded();
        return new AdminClientConfig
        {
            BootstrapServers = bootstrapServers,
            ClientId = "tributary-tests",
            SocketTimeoutMs = 10000,
        };
    }

    public static ConsumerConfig ConsumerConfig(string bootstrapServers, string groupId)
    {
        EnsureLoaded();
        return new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = groupId,
            ClientId = "tributary-tests",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            // librdkafka skips CRC checks unless asked; tests want them.
            CheckCrcs = true,
            SocketTimeoutMs = 10000,
        };
    }

    /// <summary>Runs kcat with <paramref name="arguments"/>, feeding <paramref name="stdin"/>.</summary>
    public static Task<ProcessResult> RunKcatAsync(IEnumerable<string> arguments, string? stdin = null, TimeSpan? timeout = null) =>
        RunAsync(KcatPath, arguments, stdin, timeout ?? TimeSpan.FromSeconds(30));

    /// <summary>
    /// Debian's interpreter, which has python3-kafka and python3-confluent-kafka; a python3 earlier
    /// on PATH (pyenv, a virtualenv) would not see Debian's modules.
    /// </summary>
    public const string Python3Path = "/usr/bin/python3";

    /// <summary>Runs <c>/usr/bin/python3 -c script args...</c>.</summary>
    public static Task<ProcessResult> RunPython3Async(string script, IEnumerable<string>? arguments = null, string? stdin = null, TimeSpan? timeout = null) =>
        RunAsync(Python3Path, ["-c", script, .. arguments ?? []], stdin, timeout ?? TimeSpan.FromSeconds(60));

    /// <summary>
    /// Runs a program with captured output. On timeout the process tree is killed and
    /// <see cref="ProcessResult.TimedOut"/> is set.
    /// </summary>
    public static async Task<ProcessResult> RunAsync(string fileName, IEnumerable<string> arguments, string? stdin, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {fileName}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin).ConfigureAwait(false);
        }

        process.StandardInput.Close();
        using var cancel = new CancellationTokenSource(timeout);
        var timedOut = false;
        try
        {
            await process.WaitForExitAsync(cancel.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            timedOut = true;
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().ConfigureAwait(false);
        }

        return new ProcessResult(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false), timedOut);
    }
}
