namespace Tributary.Server;

/// <summary>Entry point of the `tributary` executable.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        Console.Error.WriteLine("usage: tributary broker --config server.properties");
        return args.Length == 0 ? 2 : 2;
    }
}
