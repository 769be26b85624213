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

    [Theory]
    [InlineData("data/x.csv", false)]
    [InlineData("top.csv", false)]
    [InlineData("data/x.txt", true)]
    public void Filters_ApplyInOrder_AndTheLastMatchWins(string key, bool excluded)
    {
        var matcher = new ExcludeMatcher(null, [SyncFilter.Exclude("*"), SyncFilter.Include("*.csv")]);

        Assert.Equal(excluded, matcher.IsExcluded(key));
    }

    [Fact]
    public void Filters_InTheOtherOrder_ExcludeEverything()
    {
        var matcher = new ExcludeMatcher(null, [SyncFilter.Include("*.csv"), SyncFilter.Exclude("*")]);

        Assert.True(matcher.IsExcluded("data/x.csv"));
        Assert.True(matcher.IsDirectoryExcluded("data/"));
    }

    [Fact]
    public void AnExcludedFolder_IsStillWalked_WhenAnIncludeFollows()
    {
        var matcher = new ExcludeMatcher(["logs/"], [SyncFilter.Include("logs/keep.log")]);

        Assert.False(matcher.IsDirectoryExcluded("logs/"));
        Assert.False(matcher.IsExcluded("logs/keep.log"));
        Assert.True(matcher.IsExcluded("logs/other.log"));
        Assert.True(matcher.IsExcluded("logs/deep/keep.log"));
    }

    [Fact]
    public void AnExcludeAfterAnIncludedFolder_StillDropsItsFiles()
    {
        var matcher = new ExcludeMatcher(null, [SyncFilter.Include("data/"), SyncFilter.Exclude("*.tmp")]);

        Assert.True(matcher.IsExcluded("data/a.tmp"));
        Assert.False(matcher.IsExcluded("data/a.csv"));
    }

    [Fact]
    public void ExcludesOnly_PruneTheFolderAsBefore()
    {
        var matcher = ExcludeMatcher.For(new SyncOptions { Exclude = ["cache/"], Filters = [SyncFilter.Exclude("*.log")] });

        Assert.True(matcher.IsDirectoryExcluded("cache/"));
        Assert.True(matcher.IsExcluded("cache/x.bin"));
        Assert.True(matcher.IsExcluded("sub/a.log"));
        Assert.False(matcher.IsExcluded("sub/cache/x.bin"));
        Assert.Equal(["cache/", "*.log"], matcher.Patterns);
    }
}
