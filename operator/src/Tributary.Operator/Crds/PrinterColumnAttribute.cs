namespace Tributary.Operator.Crds;

/// <summary>One additionalPrinterColumn of the CRD, in attribute order.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class PrinterColumnAttribute : Attribute
{
    public PrinterColumnAttribute(string name, string type, string jsonPath)
    {
        Name = name;
        Type = type;
        JsonPath = jsonPath;
    }

    public string Name { get; }

    /// <summary>OpenAPI type of the column: string, integer, number, boolean or date.</summary>
    public string Type { get; }

    public string JsonPath { get; }

    public string? Description { get; init; }

    /// <summary>0 shows in the default view, higher only with -o wide.</summary>
    public int Priority { get; init; }
}
