using Spectre.Console;
using Spectre.Console.Rendering;

namespace LearnedActivation.Client.Views;

/// <summary>One cell: its text, taken literally (no markup), and its style.</summary>
internal readonly record struct PlainCell(string Text, Style Style)
{
    public static implicit operator PlainCell(string text) => new(text, Style.Plain);
}

/// <summary>
/// A table of one-line cells in the box of Spectre's default table (square border, a title centred above),
/// written line by line: what <see cref="Table"/> prints, in milliseconds for thousands of rows where
/// <see cref="Table"/>, which measures and folds every cell, takes seconds (a sweep of 2,700 runs). A console
/// narrower than the table gets <see cref="Table"/> itself, which folds cells to fit.
/// </summary>
internal sealed class PlainTable : IRenderable
{
    /// <summary>What Spectre's table gives its title when none is set (the test compares the two tables' output).</summary>
    private static readonly Style TitleStyle = new(Color.Silver);

    private readonly IReadOnlyList<PlainCell> _title;
    private readonly IReadOnlyList<string> _headers;
    private readonly IReadOnlyList<bool> _rightAligned;
    private readonly List<PlainCell[]> _rows = [];

    /// <param name="title">The title's parts, each in its style.</param>
    /// <param name="columns">Each column's header and whether its cells are right-aligned.</param>
    public PlainTable(IReadOnlyList<PlainCell> title, IReadOnlyList<(string Header, bool RightAligned)> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        _title = title;
        _headers = [.. columns.Select(c => c.Header)];
        _rightAligned = [.. columns.Select(c => c.RightAligned)];
    }

    public void AddRow(params PlainCell[] cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        if (cells.Length != _headers.Count)
        {
            throw new ArgumentException($"a row has {_headers.Count} cells, not {cells.Length}", nameof(cells));
        }

        if (cells.Any(c => c.Text.Contains('\n', StringComparison.Ordinal)))
        {
            throw new ArgumentException("cells are one line each", nameof(cells));
        }

        _rows.Add(cells);
    }

    public Measurement Measure(RenderOptions options, int maxWidth)
    {
        var width = Width(Widths());
        return width <= maxWidth ? new Measurement(width, width) : ((IRenderable)SpectreTable()).Measure(options, maxWidth);
    }

    public IEnumerable<Segment> Render(RenderOptions options, int maxWidth)
    {
        var widths = Widths();
        var width = Width(widths);
        return width <= maxWidth ? Lines(widths, width) : ((IRenderable)SpectreTable()).Render(options, maxWidth);
    }

    /// <summary>The same table as Spectre's <see cref="Table"/>.</summary>
    public Table SpectreTable()
    {
        var table = new Table { Title = new TableTitle(string.Concat(_title.Select(Markup)))  };
        for (var i = 0; i < _headers.Count; i++)
        {
            var column = new TableColumn(Spectre.Console.Markup.Escape(_headers[i]));
            table.AddColumn(_rightAligned[i] ? column.RightAligned() : column);
        }

        foreach (var row in _rows)
        {
            table.AddRow(row.Select(c => (IRenderable)new Text(c.Text, c.Style)));
        }

        return table;
    }

    private static string Markup(PlainCell cell) =>
        cell.Style.Equals(Style.Plain) ? Spectre.Console.Markup.Escape(cell.Text) : $"[{cell.Style.ToMarkup()}]{Spectre.Console.Markup.Escape(cell.Text)}[/]";

    private static int Length(string text) => new Segment(text).CellCount();

    private static int Width(int[] widths) => widths.Sum() + (3 * widths.Length) + 1;

    private int[] Widths()
    {
        var widths = _headers.Select(Length).ToArray();
        foreach (var row in _rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], Length(row[i].Text));
            }
        }

        return widths;
    }

    private IEnumerable<Segment> Lines(int[] widths, int width)
    {
        var titleLength = _title.Sum(p => Length(p.Text));
        if (titleLength > 0)
        {
            var left = (width - titleLength) / 2;
            yield return new Segment(new string(' ', Math.Max(0, left)));
            foreach (var part in _title)
            {
                yield return new Segment(part.Text, TitleStyle.Combine(part.Style));
            }

            yield return new Segment(new string(' ', Math.Max(0, width - left - titleLength)));
            yield return Segment.LineBreak;
        }

        yield return Border('┌', '┬', '┐', widths);
        yield return Segment.LineBreak;
        foreach (var segment in Row(widths, [.. _headers.Select(h => (PlainCell)h)]))
        {
            yield return segment;
        }

        yield return Border('├', '┼', '┤', widths);
        yield return Segment.LineBreak;
        foreach (var row in _rows)
        {
            foreach (var segment in Row(widths, row))
            {
                yield return segment;
            }
        }

        yield return Border('└', '┴', '┘', widths);
        yield return Segment.LineBreak;
    }

    private static Segment Border(char left, char between, char right, int[] widths) =>
        new($"{left}{string.Join(between, widths.Select(w => new string('─', w + 2)))}{right}");

    /// <summary>A row as few segments as its styles allow: plain runs of text are merged.</summary>
    private IEnumerable<Segment> Row(int[] widths, PlainCell[] cells)
    {
        var plain = new System.Text.StringBuilder("│");
        for (var i = 0; i < cells.Length; i++)
        {
            var pad = new string(' ', widths[i] - Length(cells[i].Text));
            plain.Append(' ');
            if (_rightAligned[i])
            {
                plain.Append(pad);
            }

            if (cells[i].Style.Equals(Style.Plain))
            {
                plain.Append(cells[i].Text);
            }
            else
            {
                yield return new Segment(plain.ToString());
                plain.Clear();
                yield return new Segment(cells[i].Text, cells[i].Style);
            }

            if (!_rightAligned[i])
            {
                plain.Append(pad);
            }

            plain.Append(" │");
        }

        yield return new Segment(plain.ToString());
        yield return Segment.LineBreak;
    }
}
