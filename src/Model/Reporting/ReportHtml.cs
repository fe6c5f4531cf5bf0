using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Markdig;
using Markdig.Extensions.Tables;
using Markdig.Renderers;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Plots;

namespace LearnedActivation.Model.Reporting;

/// <summary>
/// report.html: report.md rendered to HTML (so every section report.md gains appears here without code), as one
/// self-contained file that works opened from disk or mailed: each figure and linked table is inlined as a data:
/// URI, a Content-Security-Policy forbids every load from elsewhere, and a small inline script makes the results
/// table sortable and filterable by any of its columns (found by header, so new columns need no code). Each run's
/// name in the table links to its learned activation's figure, drawn for this file.
/// </summary>
internal static class ReportHtml
{
    public const string FileName = "report.html";

    /// <summary>The id of a run's figure in the page; the results table links each run name to it.</summary>
    public static string AnchorOf(string runName) => "run-" + runName;

    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UsePipeTables()
        .UseGenericAttributes()
        .DisableHtml()
        .Build();

    /// <param name="markdown">report.md as written.</param>
    /// <param name="directory">Where report.md's linked files are; each is inlined.</param>
    /// <param name="runs">The sweep's runs: each completed run's learned activation is drawn into the page.</param>
    public static string Build(string markdown, string directory, SweepRuns runs)
    {
        var document = Markdown.Parse(markdown + RunFiguresMarkdown(runs), Pipeline);
        var title = document.Descendants<HeadingBlock>().FirstOrDefault() is { Inline: { } heading } ? PlainText(heading) : "Sweep report";
        var figures = FigureFiles(runs);
        try
        {
            InlineLinks(document, directory, figures.Files);
            LinkRunNames(document, runs);
            using var body = new StringWriter(CultureInfo.InvariantCulture);
            var renderer = new HtmlRenderer(body);
            Pipeline.Setup(renderer);
            renderer.Render(document);
            return Page(title, body.ToString());
        }
        finally
        {
            figures.Scratch?.Delete(recursive: true);
        }
    }

    /// <summary>A section per run with a learned activation, in Markdown so it renders like the rest of the page.</summary>
    private static string RunFiguresMarkdown(SweepRuns runs)
    {
        var drawn = runs.Rows.Where(r => r.LearnedActivation is not null).ToList();
        if (drawn.Count == 0)
        {
            return string.Empty;
        }

        var md = new StringBuilder("\n## Learned activation of each run\n\n");
        md.Append("Each run's learned function (solid) over its x range, with its base function dashed. The run names in the results table link here.\n\n");
        foreach (var run in drawn)
        {
            md.Append(CultureInfo.InvariantCulture, $"### {run.RunName} {{#{AnchorOf(run.RunName)}}}\n\n");
            md.Append(CultureInfo.InvariantCulture, $"![learned activation of run {run.RunName}]({FigureName(run)})\n\n");
        }

        return md.ToString();
    }

    private static string FigureName(RunSummary run) => $"activation_{run.RunName}.png";

    /// <summary>Draws each run's figure into a scratch folder; the page inlines them and the folder is deleted.</summary>
    private static (DirectoryInfo? Scratch, Dictionary<string, string> Files) FigureFiles(SweepRuns runs)
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        var drawn = runs.Rows.Where(r => r.LearnedActivation is not null).ToList();
        if (drawn.Count == 0)
        {
            return (null, files);
        }

        var scratch = Directory.CreateTempSubdirectory("learnact-html-");
        foreach (var run in drawn)
        {
            var curve = run.LearnedActivation!;
            var config = run.Config;
            var figure = new LearnedActivationFigure(
                $"{LearnedActivationFigure.TitleFor(config.Base, config.Outer, config.Activation)} (run {run.RunName})",
                curve with { Label = "learned" },
                BaseCurves.Of(config.Base, curve.X, $"{Names.Of(config.Base)} (base)"));
            var path = Path.Combine(scratch.FullName, FigureName(run));
            ActivationPlot.Save(path, figure, width: 640, height: 420);
            files[FigureName(run)] = path;
        }

        return (scratch, files);
    }

    /// <summary>Every image and link naming a file of the report becomes a data: URI of that file's bytes.</summary>
    private static void InlineLinks(MarkdownDocument document, string directory, Dictionary<string, string> extraFiles)
    {
        foreach (var link in document.Descendants<LinkInline>())
        {
            var url = link.Url;
            if (string.IsNullOrEmpty(url) || url.StartsWith('#') || url.Contains(':', StringComparison.Ordinal) || url.Contains('/', StringComparison.Ordinal))
            {
                continue;
            }

            var path = extraFiles.TryGetValue(url, out var drawn) ? drawn : Path.Combine(directory, url);
            if (!File.Exists(path))
            {
                continue;
            }

            link.Url = $"data:{MediaType(url)};base64,{Convert.ToBase64String(File.ReadAllBytes(path))}";
            if (!link.IsImage)
            {
                // A data: URI cannot be opened as a page from a file, but it can be saved under its own name.
                link.GetAttributes().AddProperty("download", url);
            }
        }
    }

    /// <summary>In the table whose first header is "run", each run name with a figure links to it.</summary>
    private static void LinkRunNames(MarkdownDocument document, SweepRuns runs)
    {
        var drawn = runs.Rows.Where(r => r.LearnedActivation is not null).Select(r => r.RunName).ToHashSet(StringComparer.Ordinal);
        foreach (var table in document.Descendants<Table>())
        {
            var rows = table.OfType<TableRow>().ToList();
            if (rows.Count == 0 || !rows[0].IsHeader || CellText(rows[0]) != "run")
            {
                continue;
            }

            foreach (var row in rows.Skip(1))
            {
                if (row.FirstOrDefault() is TableCell { Count: > 0 } cell && cell[0] is ParagraphBlock { Inline: { } inline }
                    && drawn.Contains(PlainText(inline)))
                {
                    var link = new LinkInline($"#{AnchorOf(PlainText(inline))}", string.Empty);
                    while (inline.FirstChild is { } child)
                    {
                        child.Remove();
                        link.AppendChild(child);
                    }

                    inline.AppendChild(link);
                }
            }
        }
    }

    private static string CellText(TableRow row) =>
        row.FirstOrDefault() is TableCell { Count: > 0 } cell && cell[0] is ParagraphBlock { Inline: { } inline } ? PlainText(inline) : string.Empty;

    private static string PlainText(ContainerInline inline)
    {
        var text = new StringBuilder();
        foreach (var piece in inline.Descendants<Inline>())
        {
            switch (piece)
            {
                case LiteralInline literal:
                    text.Append(literal.Content.ToString());
                    break;
                case CodeInline code:
                    text.Append(code.Content);
                    break;
            }
        }

        return text.ToString();
    }

    private static string MediaType(string file) => Path.GetExtension(file).ToLowerInvariant() switch
    {
        ".png" => "image/png",
        ".svg" => "image/svg+xml",
        ".csv" => "text/csv",
        ".md" => "text/markdown",
        _ => "application/octet-stream",
    };

    private static string Page(string title, string body)
    {
        // Inline style and script are allowed by their hashes only: the page runs nothing it did not bring.
        // Markdig aligns table columns with style attributes; exactly those are allowed, by hash ('unsafe-hashes').
        var alignments = string.Join(' ', AlignmentStyles.Select(a => $"'{Hash(a)}'"));
        var policy = $"default-src 'none'; img-src data:; style-src '{Hash(Style)}' 'unsafe-hashes' {alignments}; script-src '{Hash(Script)}'; base-uri 'none'; form-action 'none'";
        return $"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="{policy}">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{WebUtility.HtmlEncode(title)}</title>
            <style>{Style}</style>
            </head>
            <body>
            <main>
            {body}
            </main>
            <script>{Script}</script>
            </body>
            </html>

            """;
    }

    /// <summary>The style attributes Markdig writes on aligned table cells.</summary>
    internal static readonly string[] AlignmentStyles = ["text-align: left;", "text-align: right;", "text-align: center;"];

    private static string Hash(string content) => "sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(content)));

    private const string Style = """
        body{font-family:system-ui,sans-serif;margin:0 auto;max-width:1400px;padding:1rem 2rem;color:#1a1a1a;background:#fff;line-height:1.45}
        img{max-width:100%;height:auto}
        table{border-collapse:collapse;margin:1rem 0;font-size:.9rem}
        th,td{border:1px solid #bbb;padding:.25rem .5rem;text-align:left;white-space:nowrap}
        th{background:#eef1f5}
        th button{font:inherit;font-weight:bold;background:none;border:0;padding:0;cursor:pointer;color:#0b3d91}
        th button:focus-visible,select:focus-visible,a:focus-visible{outline:3px solid #c4420c;outline-offset:2px}
        tr:nth-child(even) td{background:#f8f8f8}
        a{color:#0b3d91}
        .filters{display:flex;flex-wrap:wrap;gap:.5rem 1.25rem;margin:.5rem 0;padding:.5rem;background:#f3f3f3;border:1px solid #ccc}
        .filters span{display:flex;gap:.3rem;align-items:center}
        .count{margin:.25rem 0;color:#333}
        """;

    // Sorting and filtering read the table as it is: every header becomes a sort button, and every column with
    // a few distinct values (base, outer, act, arm, outcome, seed, ...) gets a filter, so new columns need no code.
    private const string Script = """
        (function () {
          'use strict';
          var maxChoices = 12;
          function text(cell) { return cell.textContent.trim(); }
          function number(value) { return value === '-' || value === '' ? NaN : Number(value); }
          document.querySelectorAll('table').forEach(function (table, tableIndex) {
            var head = table.tHead ? table.tHead.rows[0] : null;
            var body = table.tBodies[0];
            if (!head || !body || head.cells.length === 0 || text(head.cells[0]) !== 'run') { return; }
            table.id = table.id || 'results-' + tableIndex;
            var rows = Array.prototype.slice.call(body.rows);
            var headers = Array.prototype.map.call(head.cells, text);
            var status = document.createElement('p');
            status.className = 'count';
            status.setAttribute('role', 'status');
            status.setAttribute('aria-live', 'polite');
            var filters = document.createElement('div');
            filters.className = 'filters';
            filters.setAttribute('role', 'group');
            filters.setAttribute('aria-label', 'filter the runs table');
            var selects = [];
            headers.forEach(function (name, column) {
              var values = [];
              rows.forEach(function (row) { var v = text(row.cells[column]); if (values.indexOf(v) < 0) { values.push(v); } });
              if (column === 0 || values.length < 2 || values.length > maxChoices) { return; }
              var label = document.createElement('label');
              var select = document.createElement('select');
              select.id = table.id + '-filter-' + column;
              select.dataset.column = String(column);
              label.htmlFor = select.id;
              label.textContent = name;
              var all = document.createElement('option');
              all.value = ''; all.textContent = 'all';
              select.appendChild(all);
              values.sort().forEach(function (v) { var o = document.createElement('option'); o.value = v; o.textContent = v; select.appendChild(o); });
              select.addEventListener('change', apply);
              var field = document.createElement('span');
              field.appendChild(label);
              field.appendChild(select);
              filters.appendChild(field);
              selects.push(select);
            });
            function apply() {
              var shown = 0;
              rows.forEach(function (row) {
                var visible = selects.every(function (s) { return s.value === '' || text(row.cells[Number(s.dataset.column)]) === s.value; });
                row.hidden = !visible;
                if (visible) { shown++; }
              });
              status.textContent = shown + ' of ' + rows.length + ' runs shown';
            }
            Array.prototype.forEach.call(head.cells, function (cell, column) {
              var button = document.createElement('button');
              button.type = 'button';
              button.textContent = cell.textContent;
              cell.textContent = '';
              cell.appendChild(button);
              cell.setAttribute('aria-sort', 'none');
              button.addEventListener('click', function () {
                var ascending = cell.getAttribute('aria-sort') !== 'ascending';
                Array.prototype.forEach.call(head.cells, function (other) { other.setAttribute('aria-sort', 'none'); });
                cell.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
                var numeric = rows.every(function (row) { var v = text(row.cells[column]); return v === '-' || v === '' || !isNaN(number(v)); });
                rows.sort(function (a, b) {
                  var x = text(a.cells[column]), y = text(b.cells[column]);
                  var order = numeric
                    ? (isNaN(number(x)) ? 1 : isNaN(number(y)) ? -1 : number(x) - number(y))
                    : x.localeCompare(y);
                  return ascending ? order : -order;
                });
                rows.forEach(function (row) { body.appendChild(row); });
              });
            });
            table.parentNode.insertBefore(filters, table);
            table.parentNode.insertBefore(status, table);
            apply();
          });
        })();
        """;
}
