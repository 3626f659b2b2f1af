using Xunit;

namespace Tributary.Operator.Tests.Rendering;

/// <summary>
/// Golden-file comparison. UPDATE_GOLDEN=1 rewrites the files instead of comparing; review the diff
/// with git before committing.
/// </summary>
internal static class Golden
{
    public static void Verify(string fileName, string actual)
    {
        var path = RepoPaths.Combine("tests", "Tributary.Operator.Tests", "Rendering", "Golden", fileName);
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
            return;
        }

        Assert.True(File.Exists(path), $"golden file {path} is missing; run the tests with UPDATE_GOLDEN=1 to create it");
        var expected = File.ReadAllText(path);
        if (expected != actual)
        {
            var expectedLines = expected.Split('\n');
            var actualLines = actual.Split('\n');
            var line = 0;
            while (line < expectedLines.Length && line < actualLines.Length && expectedLines[line] == actualLines[line])
            {
                line++;
            }

            Assert.Fail($"{fileName} differs from the golden file at line {line + 1}:\n" +
                $"  expected: {(line < expectedLines.Length ? expectedLines[line] : "<end>")}\n" +
                $"  actual:   {(line < actualLines.Length ? actualLines[line] : "<end>")}\n" +
                "Rerun with UPDATE_GOLDEN=1 if the change is intended.");
        }
    }
}
