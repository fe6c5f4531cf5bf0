namespace LearnedActivation.Model.Analysis.Comparison;

/// <summary>
/// Agglomerative clustering with average linkage (UPGMA) of a distance matrix, used only for its leaf order: drawn in
/// that order, similar functions sit next to each other and clusters show as blocks on the diagonal.
/// </summary>
public static class AverageLinkage
{
    /// <summary>The leaves in dendrogram order: each merge puts the earlier-formed cluster first, ties merge the lowest indices first.</summary>
    public static IReadOnlyList<int> LeafOrder(double[,] distances)
    {
        ArgumentNullException.ThrowIfNull(distances);
        var n = distances.GetLength(0);
        if (distances.GetLength(1) != n)
        {
            throw new ArgumentException("the distance matrix must be square", nameof(distances));
        }

        var clusters = Enumerable.Range(0, n).Select(i => new List<int> { i }).ToList();
        var between = new double[n, n];
        Array.Copy(distances, between, distances.Length);
        var alive = Enumerable.Range(0, n).ToList();
        while (alive.Count > 1)
        {
            var (bestI, bestJ, best) = (-1, -1, double.PositiveInfinity);
            for (var a = 0; a < alive.Count; a++)
            {
                for (var b = a + 1; b < alive.Count; b++)
                {
                    var d = between[alive[a], alive[b]];
                    if (d < best || bestI < 0)
                    {
                        (bestI, bestJ, best) = (alive[a], alive[b], d);
                    }
                }
            }

            // The merged cluster keeps bestI's slot; its distance to every other is the size-weighted average.
            var (sizeI, sizeJ) = (clusters[bestI].Count, clusters[bestJ].Count);
            foreach (var k in alive.Where(k => k != bestI && k != bestJ))
            {
                var d = ((between[bestI, k] * sizeI) + (between[bestJ, k] * sizeJ)) / (sizeI + sizeJ);
                between[bestI, k] = d;
                between[k, bestI] = d;
            }

            clusters[bestI].AddRange(clusters[bestJ]);
            alive.Remove(bestJ);
        }

        return n == 0 ? [] : clusters[alive[0]];
    }
}
