using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace LearnedActivation.Client.Tests.Browser;

/// <summary>
/// Debian's chromium driven by Playwright (no browser download): the tests skip, saying why, only where it is not
/// installed; .ci/run and scripts/test.sh install it. LEARNACT_SCREENSHOTS names a folder to save page screenshots in.
/// </summary>
internal static class SystemChromium
{
    public const string Path = "/usr/bin/chromium";

    public static void SkipUnlessInstalled() =>
        Skip.IfNot(File.Exists(Path), $"{Path} is not installed (apt-get install -y chromium; scripts/test.sh does it)");

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Path, Headless = true });
        return (playwright, browser);
    }

    /// <summary>Collects what the page logs as errors, and uncaught exceptions.</summary>
    public static List<string> RecordErrors(IPage page)
    {
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add($"{message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) => errors.Add(error);
        return errors;
    }

    public static async Task AssertAccessibleAsync(IPage page)
    {
        var result = await page.RunAxe();
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, string.Join("\n", serious.Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Html))}")));
    }

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("LEARNACT_SCREENSHOTS") is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = System.IO.Path.Combine(folder, name), FullPage = false });
        }
    }
}
