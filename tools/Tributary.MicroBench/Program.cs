using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Tributary.MicroBench;

/// <summary>
/// make microbench: runs every benchmark (or those BenchmarkDotNet's --filter selects) in this
/// process, as a short run: the figures to watch are the allocations, which do not need long runs,
/// and in-process runs need no generated project (which central package management and the
/// artifacts layout would complicate).
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        var config = DefaultConfig.Instance.AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance));
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    }
}
