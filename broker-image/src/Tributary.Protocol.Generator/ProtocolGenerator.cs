using System.Text;

namespace Tributary.Protocol.Generator;

/// <summary>
/// The generator as a library: <see cref="Generate"/> turns a schema folder into file contents,
/// <see cref="WriteOutput"/> syncs them into an output folder. Tests call <see cref="Generate"/>
/// to check that the committed Generated/ folder is current.
/// </summary>
public static class ProtocolGenerator
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Generated files keyed by path relative to the output folder ('/' separators), sorted.</summary>
    public static IReadOnlyDictionary<string, string> Generate(string schemaRoot) => Generate(SchemaLoader.LoadAll(schemaRoot));

    public static IReadOnlyDictionary<string, string> Generate(IReadOnlyList<MessageSpec> specs)
    {
        ArgumentNullException.ThrowIfNull(specs);
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);

        void Add(string path, string content)
        {
            if (!files.TryAdd(path, content))
            {
                throw new InvalidDataException($"two schemas generate {path}");
            }
        }

        foreach (var spec in specs)
        {
            var emitter = new MessageEmitter(spec);
            Add(emitter.RelativePath, emitter.Emit());
        }

        var pairs = ApiTableEmitter.Pairs(specs);
        Add("Messages/ApiKey.cs", ApiTableEmitter.EmitApiKeyEnum(pairs));
        Add("Messages/ApiListeners.cs", ApiTableEmitter.EmitListeners(pairs));
        Add("Messages/ApiKeys.cs", ApiTableEmitter.EmitApiKeys(pairs));
        var records = specs.Where(s => s.Kind == SchemaKind.Metadata).ToList();
        Add("Metadata/MetadataRecordType.cs", ApiTableEmitter.EmitMetadataRecordType(records));
        Add("Metadata/MetadataRecords.cs", ApiTableEmitter.EmitMetadataRecords(records));
        return files;
    }

    /// <summary>
    /// Writes files whose content changed and deletes every other file under <paramref name="outputDir"/>,
    /// so the folder always equals the generator's output. Returns (written, deleted) counts.
    /// </summary>
    public static (int Written, int Deleted) WriteOutput(string outputDir, IReadOnlyDictionary<string, string> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        Directory.CreateDirectory(outputDir);
        var written = 0;
        foreach (var (relative, content) in files)
        {
            var path = Path.Combine(outputDir, relative.Replace('/', Path.DirectorySeparatorChar));
            if (File.Exists(path) && File.ReadAllText(path, Utf8NoBom) == content)
            {
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content, Utf8NoBom);
            written++;
        }

        var expected = new HashSet<string>(files.Keys, StringComparer.Ordinal);
        var deleted = 0;
        foreach (var path in Directory.GetFiles(outputDir, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(outputDir, path).Replace(Path.DirectorySeparatorChar, '/');
            if (!expected.Contains(relative))
            {
                File.Delete(path);
                deleted++;
            }
        }

        var directories = Directory.GetDirectories(outputDir, "*", SearchOption.AllDirectories);
        Array.Sort(directories, (a, b) => b.Length.CompareTo(a.Length));
        foreach (var dir in directories)
        {
            if (Directory.GetFileSystemEntries(dir).Length == 0)
            {
                Directory.Delete(dir);
            }
        }

        return (written, deleted);
    }
}
