namespace Tributary.Operator.Controllers.Topics;

/// <summary>Something the operator refuses to do; the Topic is Stalled until the spec changes.</summary>
/// <param name="Reason">One of <see cref="TopicReasons"/>.</param>
/// <param name="Message">Human-readable explanation for the condition message.</param>
public sealed record TopicProblem(string Reason, string Message);
