using System.Text.RegularExpressions;

namespace ValDrome.Tests.French;

/// <summary>The French the site writes is defined once (<c>FrenchCulture</c>): no other file makes its own.</summary>
public sealed partial class OneFrenchCultureTests
{
    [GeneratedRegex("""(GetCultureInfo|new CultureInfo|CreateSpecificCulture)\(\s*"fr""")]
    private static partial Regex ItsOwnFrench();

    [Fact]
    public void No_source_file_but_french_culture_makes_a_french_culture_of_its_own()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "ValDrome.sln")))
        {
            root = root.Parent;
        }

        var src = Path.Combine(root?.FullName ?? throw new DirectoryNotFoundException("No ValDrome.sln above the test's folder."), "src");
        var files = Directory.EnumerateFiles(src, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".cshtml", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();

        Assert.Contains(files, f => Path.GetFileName(f) == "FrenchCulture.cs");
        Assert.Empty(files
            .Where(f => Path.GetFileName(f) != "FrenchCulture.cs" && ItsOwnFrench().IsMatch(File.ReadAllText(f)))
            .Select(f => Path.GetRelativePath(src, f)));
    }
}
