using Tributary.Operator.Crds;

// Writes the CRD YAML generated from the C# API types (make crds). Usage: CrdGen DIR [DIR...]
// Every directory gets the same files; stale kafka.tributary.dev_*.yaml files there are removed.
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: Tributary.Operator.CrdGen OUTPUT_DIR [OUTPUT_DIR...]");
    return 2;
}

var files = CrdCatalog.RenderAll();
foreach (var dir in args)
{
    Directory.CreateDirectory(dir);
    var wanted = files.Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
    foreach (var old in Directory.EnumerateFiles(dir, Tributary.Operator.Api.KafkaApi.Group + "_*.yaml"))
    {
        if (!wanted.Contains(Path.GetFileName(old)))
        {
            File.Delete(old);
        }
    }

    foreach (var (name, yaml) in files)
    {
        var path = Path.Combine(dir, name);
        // Leave unchanged files alone so their timestamps (and make) stay quiet.
        if (!File.Exists(path) || File.ReadAllText(path) != yaml)
        {
            File.WriteAllText(path, yaml);
            Console.WriteLine($"wrote {path}");
        }
    }
}

return 0;
