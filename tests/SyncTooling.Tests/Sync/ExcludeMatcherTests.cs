using SyncTooling.Sync;

namespace SyncTooling.Tests.Sync;

public sealed class ExcludeMatcherTests
{
    [Theory]
    [InlineData("*.txt", "a/b/c.txt", true)] // '*' crosses '/', as in fnmatch
    [InlineData("a?c", "abc", true)]
    [InlineData("a?c", "a/c", true)]
    [InlineData("[ab].txt", "b.txt", true)]
    [InlineData("[!ab].txt", "b.txt", false)]
    [InlineData("[!ab].txt", "c.txt", true)]
    [InlineData("[a-c]x", "bx", true)]
    [InlineData("*.TXT", "a.txt", false)] // case-sensitive
    [InlineData("file[1", "file[1", true)] // unclosed '[' is literal, as in Python
    [InlineData("a+b(c)", "a+b(c)", true)] // regex characters are literal
    [InlineData("logs/", "logs/x.txt", true)] // trailing slash drops the folder
    [InlineData("logs/", "logs", false)]
    [InlineData("*_tmp/*", "a_tmp/deep/x", true)]
    [InlineData("[z-a]", "z", false)] // a range written backwards is empty, as in Python (it threw before)
    [InlineData("[z-a]", "-", false)]
    [InlineData("[!z-a]", "q", true)] // a negated empty set matches any one character
    [InlineData("[az-ab]", "b", true)]
    [InlineData("[--z]", "]", true)] // '-' can start a range
    [InlineData("[a-c--e]", ".", true)]
    [InlineData("[a-]", "-", true)] // a '-' at the end is literal
    [InlineData("[^a]", "^", true)] // '^' is literal, only '!' negates
    [InlineData("[[:alpha:]]", "a]", true)] // no POSIX classes: the set "[:alph" then a literal "]"
    public void IsExcluded_FollowsFnmatch(string pattern, string key, bool excluded)
    {
        Assert.Equal(excluded, new ExcludeMatcher([pattern]).IsExcluded(key));
    }

    [Fact]
    public void NoPatterns_ExcludesNothing()
    {
        Assert.False(ExcludeMatcher.None.IsExcluded("anything"));
        Assert.False(new ExcludeMatcher(["", ""]).IsExcluded("x"));
    }

    [Fact]
    public void PathologicalPattern_DoesNotBacktrackExponentially()
    {
        var matcher = new ExcludeMatcher(["*a*a*a*a*a*a*a*a*a*a*a*a*b"]);

        Assert.False(matcher.IsExcluded(new string('a', 5000)));
    }
}
