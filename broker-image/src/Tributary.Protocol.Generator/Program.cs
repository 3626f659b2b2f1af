namespace Tributary.Protocol.Generator;

/// <summary>Command line: <c>Tributary.Protocol.Generator &lt;kafka-protocol dir&gt; &lt;output dir&gt;</c>.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length != 2)
        {
            Console.Error.WriteLine("usage: Tributary.Protocol.Generator <kafka-protocol dir> <output dir>");
            return 2;
        }

        try
        {
            var specs = SchemaLoader.LoadAll(args[0]);
            var files = ProtocolGenerator.Generate(specs);
            var (written, deleted) = ProtocolGenerator.WriteOutput(args[1], files);
            Console.WriteLine($"{specs.Count} schemas -> {files.Count} files in {args[1]} ({written} written, {deleted} stale deleted)");
            return 0;
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            Console.Error.WriteLine($"protocol generation failed: {ex.Message}");
            return 1;
        }
    }
}
