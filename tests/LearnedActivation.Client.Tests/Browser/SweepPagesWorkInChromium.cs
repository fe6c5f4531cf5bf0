using System.Net;
using System.Net.Sockets;
using LearnedActivation.Client.Cli;
using LearnedActivation.Client.Tests.Support;
using Microsoft.Playwright;

namespace LearnedActivation.Client.Tests.Browser;

/// <summary>
/// A small real sweep, watched in a real Chromium: its live dashboard lists every run and updates a running run's
/// row without a reload; at the end its report.html, opened from disk, shows every image and sorts and filters from
/// the keyboard. Neither page logs an error or has a serious accessibility violation.
/// </summary>
[Collection(SweepProcessGroup.Name)]
public sealed class SweepPagesWorkInChromium : IDisposable
{
    private const int Rows = 20_000;
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);

    private readonly TempDirectory _work = new();
    private readonly IReadOnlyDictionary<string, string> _ports = SiloPorts.FreshEnvironment();

    public void Dispose() => _work.Dispose();

    [SkippableFact]
    public async Task DashboardFollowsTheSweepAndTheReportWorksFromDisk()
    {
        SystemChromium.SkipUnlessInstalled();
        var data = CovertypeSample.Write(_work.File("covertype.csv"), Rows);
        var spec = new SweepSpecFile("live", ["tanh", "relu"], ["small"], ["small", "medium"], Epochs: 6, new SweepSpecData(data, CovertypeSample.Target));
        spec.Write(_work.File("live.json"));
        var port = FreePort();

        await using var sweep = LearnactProcess.Start(_work.Path, _ports, "sweep", "--spec", "live.json", "--slots", "2", "--dashboard-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var (playwright, browser) = await SystemChromium.LaunchAsync();
        using (playwright)
        await using (browser)
        {
            var page = await browser.NewPageAsync();
            var errors = SystemChromium.RecordErrors(page);
            await Eventually.WaitAsync(() => Answers(port) ? "yes" : null, "the dashboard to answer", sweep, Timeout);
            await page.GotoAsync($"http://127.0.0.1:{port}/?sweep=live");

            // Every run is listed.
            var rows = page.Locator("#runs tbody tr");
            await Assertions.Expect(rows).ToHaveCountAsync(spec.ConfigNames.Count, new() { Timeout = 60_000 });
            Assert.Equal(spec.ConfigNames.Order(), (await page.Locator("#runs tbody th").AllTextContentsAsync()).Order());

            // A running run's row changes while it trains, in the same page (the marker would not survive a reload).
            await page.EvaluateAsync("() => { window.notReloaded = true; }");
            var running = page.Locator("#runs tbody tr", new() { Has = page.Locator("td.phase-running") }).First;
            await Assertions.Expect(running).ToBeVisibleAsync(new() { Timeout = 120_000 });
            var name = await running.GetAttributeAsync("data-run");
            var row = page.Locator($"#runs tbody tr[data-run='{name}']");
            var before = await row.Locator("td.epoch").TextContentAsync() + await row.Locator("td").First.TextContentAsync();
            await page.WaitForFunctionAsync(
                "([run, before]) => { const r = document.querySelector(`#runs tbody tr[data-run='${run}']`); return r && (r.querySelector('td.epoch').textContent + r.querySelector('td').textContent) !== before; }",
                new object[] { name!, before }, new() { Timeout = 120_000 });
            Assert.True(await page.EvaluateAsync<bool>("() => window.notReloaded === true"), "the page was reloaded");

            // Curves and the current learned activation (from a checkpoint) are drawn; silos are listed with their slots.
            await Assertions.Expect(page.Locator("svg[aria-label^='learned activation of'] polyline").First).ToBeAttachedAsync(new() { Timeout = 120_000 });
            await Assertions.Expect(page.Locator("svg[aria-label^='validation accuracy of'] polyline").First).ToBeAttachedAsync(new() { Timeout = 60_000 });
            await Assertions.Expect(page.Locator("#silos tbody tr").First.Locator("td").Nth(3)).ToHaveTextAsync("2", new() { Timeout = 30_000 });

            var api = await page.APIRequest.GetAsync($"http://127.0.0.1:{port}/api/sweeps");
            Assert.Contains("\"live\"", await api.TextAsync(), StringComparison.Ordinal);
            var orleans = await page.APIRequest.GetAsync($"http://127.0.0.1:{port}/orleans/");
            Assert.True(orleans.Ok, $"Orleans' dashboard answered {orleans.Status}");
            await SystemChromium.AssertAccessibleAsync(page);
            await SystemChromium.ScreenshotAsync(page, "dashboard.png");
            Assert.True(errors.Count == 0, string.Join("\n", errors));

            var result = await sweep.WaitAsync(Timeout);
            Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
            await CheckReportAsync(browser, new SweepStore(_work.File("runs"), spec.Id).Artifact("report.html"), spec);
        }

        // After the sweep, `learnact dashboard` serves the same page and data for it from the store.
        var again = FreePort();
        await using var dashboard = LearnactProcess.Start(_work.Path, _ports, "dashboard", spec.Id, "--port", again.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Eventually.WaitAsync(() => Answers(again) ? "yes" : null, "learnact dashboard to answer", dashboard, Timeout);
        using var client = new HttpClient();
        var finished = await client.GetStringAsync(new Uri($"http://127.0.0.1:{again}/api/sweeps/live"));
        Assert.Contains("\"phase\":\"finished\"", finished, StringComparison.Ordinal);
        Assert.All(spec.ConfigNames, c => Assert.Contains($"\"name\":\"{c}\",\"phase\":\"completed\"", finished, StringComparison.Ordinal));
        Assert.Contains("<title>learnact sweep dashboard</title>", await client.GetStringAsync(new Uri($"http://127.0.0.1:{again}/")), StringComparison.Ordinal);
    }

    private static async Task CheckReportAsync(IBrowser browser, string report, SweepSpecFile spec)
    {
        var page = await browser.NewPageAsync();
        var errors = SystemChromium.RecordErrors(page);
        var requests = new List<string>();
        page.Request += (_, request) => requests.Add(request.Url);
        await page.GotoAsync(new Uri(report).AbsoluteUri);

        // Every image rendered, and nothing was fetched but the file itself and its inline data.
        var widths = await page.EvaluateAsync<int[]>("() => Array.from(document.images).map(i => i.complete ? i.naturalWidth : 0)");
        Assert.True(widths.Length >= 1 + (3 * spec.Bases.Count) + spec.ConfigNames.Count, $"{widths.Length} images");
        Assert.All(widths, w => Assert.True(w > 0, "an image did not render"));
        Assert.All(requests, r => Assert.True(r.StartsWith("file:", StringComparison.Ordinal) || r.StartsWith("data:", StringComparison.Ordinal), $"request to {r}"));

        // Sort by test accuracy from the keyboard: Tab reaches the header button, Enter sorts.
        var table = page.Locator("table", new() { Has = page.Locator("th button", new() { HasText = "test acc" }) }).First;
        var header = table.Locator("th button", new() { HasText = "test acc" }).First;
        await header.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(table.Locator("th[aria-sort='ascending']")).ToHaveCountAsync(1);
        var column = await table.Locator("thead th").AllTextContentsAsync();
        var index = column.ToList().IndexOf("test acc") + 1;
        var sorted = (await table.Locator($"tbody tr td:nth-child({index})").AllTextContentsAsync()).Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(sorted.Order(), sorted);
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(table.Locator("th[aria-sort='descending']")).ToHaveCountAsync(1);

        // Filter by base from the keyboard: the labelled select takes arrow keys.
        var filter = page.GetByLabel("base", new() { Exact = true });
        await filter.FocusAsync();
        await page.Keyboard.PressAsync("ArrowDown");
        var chosen = await filter.InputValueAsync();
        Assert.Contains(chosen, spec.Bases);
        var shownBases = await table.Locator("tbody tr:not([hidden]) td:nth-child(2)").AllTextContentsAsync();
        Assert.Equal(spec.ConfigNames.Count(c => c.StartsWith(chosen + "_", StringComparison.Ordinal)), shownBases.Count);
        Assert.All(shownBases, b => Assert.Equal(chosen, b));

        await table.ScrollIntoViewIfNeededAsync();
        await SystemChromium.ScreenshotAsync(page, "report_html.png");

        // Each run's figure is reachable from its row.
        var link = table.Locator("tbody tr:not([hidden]) a").First;
        var target = (await link.GetAttributeAsync("href"))!;
        await link.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator($"[id='{target[1..]}']")).ToBeInViewportAsync();

        await SystemChromium.AssertAccessibleAsync(page);
        Assert.Empty(errors);
    }

    private static bool Answers(int port)
    {
        try
        {
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            return client.GetAsync(new Uri($"http://127.0.0.1:{port}/api/sweeps/live")).GetAwaiter().GetResult().StatusCode == HttpStatusCode.OK;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
