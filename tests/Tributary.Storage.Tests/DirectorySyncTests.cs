namespace Tributary.Storage.Tests;

public sealed class DirectorySyncTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void DirectoryFsyncResolvesTheCLibraryOnUnix()
    {
        Assert.Equal(!OperatingSystem.IsWindows(), DirectorySync.Supported);
        DirectorySync.Flush(_dir.Path);
        DirectorySync.Flush(_dir.Sub("missing")); // no throw: the caller's next file operation reports it
    }
}
