namespace Tributary.Server;

/// <summary>The process surroundings a command uses, injectable so tests can run commands in-process.</summary>
public sealed record CommandIO(TextWriter Out, TextWriter Error, IReadOnlyDictionary<string, string> Environment);
