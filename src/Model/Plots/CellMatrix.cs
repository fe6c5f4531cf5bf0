namespace LearnedActivation.Model.Plots;

/// <summary>
/// A matrix of labelled, coloured cells: a heatmap whose rows and columns are categories (sizes, runs).
/// Row 0 is drawn at the top, as a table reads.
/// </summary>
/// <param name="Title">Panel title.</param>
/// <param name="RowLabels">One label per row.</param>
/// <param name="ColumnLabels">One label per column.</param>
/// <param name="Values">Colour value per cell (rows x columns); NaN draws an empty (grey) cell.</param>
/// <param name="CellText">Text per cell, or null for none (large matrices).</param>
public sealed record CellMatrix(
    string Title,
    IReadOnlyList<string> RowLabels,
    IReadOnlyList<string> ColumnLabels,
    double[,] Values,
    string?[,]? CellText = null)
{
    public double[,] Values { get; init; } = Check(RowLabels, ColumnLabels, Values);

    private static double[,] Check(IReadOnlyList<string> rows, IReadOnlyList<string> columns, double[,] values)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(values);
        if (values.GetLength(0) != rows.Count || values.GetLength(1) != columns.Count || rows.Count == 0 || columns.Count == 0)
        {
            throw new ArgumentException($"cell matrix '{rows.Count} x {columns.Count}' labels do not match values {values.GetLength(0)} x {values.GetLength(1)}");
        }

        return values;
    }
}
