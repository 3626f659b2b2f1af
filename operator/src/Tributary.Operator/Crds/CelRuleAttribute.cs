namespace Tributary.Operator.Crds;

/// <summary>
/// A CEL rule (x-kubernetes-validations) on a field, or on every use of a type when put on the type.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class CelRuleAttribute : Attribute
{
    public CelRuleAttribute(string rule, string message)
    {
        Rule = rule;
        Message = message;
    }

    public string Rule { get; }

    public string Message { get; }
}
