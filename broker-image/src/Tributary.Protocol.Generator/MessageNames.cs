namespace Tributary.Protocol.Generator;

/// <summary>
/// C# names for one schema's types and members. Kafka names are kept where C# allows them; a
/// struct whose name clashes with a member of the message class, the message itself, one of its
/// own fields or a type the generated code uses gets a "Data" suffix, and a field whose name
/// clashes with a generated member (Read, Write, Size, ...) gets a "Value" suffix.
/// </summary>
public sealed class MessageNames
{
    private static readonly HashSet<string> TypeNamesInUse = new(StringComparer.Ordinal)
    {
        "List", "Guid", "Array", "String", "Math", "Object", "Exception", "StringComparison", "ReadOnlyMemory",
        "KafkaReader", "KafkaWriter", "WireSize", "Varint", "MessageErrors", "ProtocolException", "ApiKey",
        "MetadataRecordType", "IProtocolMessage", "IApiMessage", "IApiRequest", "IApiResponse", "IMetadataRecord",
        "ArgumentNullException", "BitConverter",
    };

    private static readonly string[] ObjectMembers =
        ["Equals", "GetHashCode", "ToString", "GetType", "MemberwiseClone", "ReferenceEquals", "Finalize"];

    private readonly Dictionary<string, StructSpec> _structs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _classNames = new(StringComparer.Ordinal);
    private readonly Dictionary<FieldSpec, string> _propertyNames = new(ReferenceEqualityComparer.Instance);

    public MessageNames(MessageSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Spec = spec;
        foreach (var structSpec in spec.Structs)
        {
            if (!_structs.TryAdd(structSpec.Name, structSpec))
            {
                throw new InvalidDataException($"{spec.SourcePath}: struct {structSpec.Name} is declared twice");
            }
        }

        var taken = new HashSet<string>(TypeNamesInUse, StringComparer.Ordinal) { spec.Name };
        foreach (var field in spec.Fields)
        {
            taken.Add(field.Name);
        }

        // Claim every unsuffixed name first so a suffixed name can never take another struct's name.
        foreach (var structSpec in spec.Structs)
        {
            taken.Add(structSpec.Name);
        }

        foreach (var structSpec in spec.Structs)
        {
            var clashes = spec.Fields.Any(f => f.Name == structSpec.Name)
                || structSpec.Fields.Any(f => f.Name == structSpec.Name)
                || structSpec.Name == spec.Name
                || TypeNamesInUse.Contains(structSpec.Name);
            var name = structSpec.Name;
            if (clashes)
            {
                name += "Data";
                while (!taken.Add(name))
                {
                    name += "Data";
                }
            }

            _classNames[structSpec.Name] = name;
        }

        AssignProperties(spec.Fields, RootReserved(spec));
        foreach (var structSpec in spec.Structs)
        {
            var reserved = new HashSet<string>(ObjectMembers, StringComparer.Ordinal)
            {
                "Read", "Write", "Size", "IsAllDefault", "Find", _classNames[structSpec.Name],
            };
            AssignProperties(structSpec.Fields, reserved);
        }
    }

    public MessageSpec Spec { get; }

    public IEnumerable<StructSpec> Structs => Spec.Structs;

    public StructSpec Struct(string kafkaName) =>
        _structs.TryGetValue(kafkaName, out var spec)
            ? spec
            : throw new InvalidDataException($"{Spec.SourcePath}: struct type {kafkaName} is never declared");

    public string ClassName(string kafkaStructName)
    {
        Struct(kafkaStructName);
        return _classNames[kafkaStructName];
    }

    public string Property(FieldSpec field) => _propertyNames[field];

    private HashSet<string> RootReserved(MessageSpec spec)
    {
        var reserved = new HashSet<string>(ObjectMembers, StringComparer.Ordinal)
        {
            "Read", "Write", "Size", "LowestSupportedVersion", "HighestSupportedVersion", spec.Name,
        };
        if (spec.Kind is SchemaKind.Request or SchemaKind.Response)
        {
            reserved.Add("ApiKey");
        }

        if (spec.Kind == SchemaKind.Metadata)
        {
            reserved.Add("RecordType");
        }

        foreach (var name in _classNames.Values)
        {
            reserved.Add(name);
        }

        return reserved;
    }

    private void AssignProperties(IReadOnlyList<FieldSpec> fields, HashSet<string> reserved)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in fields)
        {
            var name = field.Name;
            while (reserved.Contains(name))
            {
                name += "Value";
            }

            if (!used.Add(name))
            {
                throw new InvalidDataException($"{Spec.SourcePath}: field {field.Name} is declared twice in one struct");
            }

            _propertyNames[field] = name;
        }
    }
}
