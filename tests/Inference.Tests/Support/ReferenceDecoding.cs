namespace Summarizer.Inference.Tests.Support;

/// <summary>
/// A line-by-line port of training/decoding.py's greedy_search and beam_search on a model given as
/// "log-probs after this history", written with lists and sorting (no buffers, no back-pointers) to check the C# search.
/// </summary>
internal static class ReferenceDecoding
{
    private static double[] Process(float[] logProbs, List<int> tokens, DecodingOptions o, int eos)
    {
        var lp = logProbs.Select(x => (double)x).ToArray();
        if (tokens.Count < o.MinLength)
            lp[eos] = double.NegativeInfinity;
        var n = o.NoRepeatNgramSize;
        var t = tokens.Count;
        if (n > 0 && t + 1 >= n)
        {
            var prefix = tokens.Skip(t - n + 1).ToList();
            for (var i = 0; i < t - n + 1; i++)
                if (tokens.Skip(i).Take(n - 1).SequenceEqual(prefix))
                    lp[tokens[i + n - 1]] = double.NegativeInfinity;
        }
        return lp;
    }

    public static (List<int> Tokens, double Score) Greedy(Func<List<int>, float[]> model, DecodingOptions o, int eos)
    {
        var tokens = new List<int>();
        var score = 0.0;
        while (true)
        {
            var lp = Process(model(tokens), tokens, o, eos);
            var w = 0;
            for (var i = 1; i < lp.Length; i++)
                if (lp[i] > lp[w])
                    w = i;
            if (double.IsNegativeInfinity(lp[w]))
                break;
            score += lp[w];
            if (w == eos)
                break;
            tokens.Add(w);
            if (tokens.Count == o.MaxLength)
                break;
        }
        return (tokens, score);
    }

    public static (List<int> Tokens, double Score) Beam(Func<List<int>, float[]> model, DecodingOptions o, int eos)
    {
        var k = o.NumBeams;
        var lpExp = double.Parse(o.LengthPenalty.ToString(System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture);
        var live = new List<(List<int> Tokens, double Score)> { ([], 0.0) };
        var finished = new List<(double Score, List<int> Tokens)>();
        var t = 0;
        void AddFinished(List<int> tokens, double score, int length)
        {
            finished.Add((score / Math.Pow(length, lpExp), tokens));
            var sorted = finished.Select((f, i) => (f, i)).OrderBy(x => -x.f.Score).ThenBy(x => x.i).Select(x => x.f).Take(k).ToList();
            finished.Clear();
            finished.AddRange(sorted);
        }
        while (true)
        {
            var v = 0;
            var cand = new List<double>();
            foreach (var h in live)
            {
                var lp = Process(model(h.Tokens), h.Tokens, o, eos);
                v = lp.Length;
                cand.AddRange(lp.Select(x => h.Score + x));
            }
            var top = Enumerable.Range(0, cand.Count).OrderBy(i => -cand[i]).ThenBy(i => i).Take(2 * k).ToList();
            var newLive = new List<(List<int>, double)>();
            for (var rank = 0; rank < top.Count; rank++)
            {
                var idx = top[rank];
                int h = idx / v, w = idx % v;
                if (double.IsNegativeInfinity(cand[idx]))
                    break;
                if (w == eos)
                {
                    if (rank < k)
                        AddFinished(live[h].Tokens, cand[idx], t + 1);
                    continue;
                }
                newLive.Add(([.. live[h].Tokens, w], cand[idx]));
                if (newLive.Count == k)
                    break;
            }
            live = newLive;
            t++;
            if (t == o.MaxLength)
            {
                foreach (var (tokens, score) in live)
                    AddFinished(tokens, score, t);
                break;
            }
            if (live.Count == 0)
                break;
            if (finished.Count == k)
            {
                if (o.EarlyStopping)
                    break;
                var bestLive = live.Max(h => h.Score) / Math.Pow(t, lpExp);
                if (bestLive <= finished[^1].Score)
                    break;
            }
        }
        return finished.Count == 0 ? ([], double.NegativeInfinity) : (finished[0].Tokens, finished[0].Score);
    }
}
