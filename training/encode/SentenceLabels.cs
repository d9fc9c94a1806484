using System.Diagnostics;
using System.Runtime.InteropServices;
using Summarizer.Evaluation;
using Summarizer.Inference;
using Summarizer.Inference.Encoder;
using Summarizer.Inference.Selector;
using Summarizer.Inference.Text;
using Summarizer.Inference.Tokenization;

/// <summary>The sentence selector's training labels: each row's read sentences as token ranges and a greedy ROUGE oracle.</summary>
static class SentenceLabels
{
    public static int Write(string package, string data, string outDir, int maxSrc, int rowsWanted, int oracleSize)
    {
        Directory.CreateDirectory(outDir);
        var tokenizer = BertWordPieceTokenizer.Load(new MemoryStream(EncoderPackage.Read(package, "vocab.txt", null)));
        var rows = EvaluationDataReader.ReadFile(data);
        if (rowsWanted > 0)
            rows = rows.Take(rowsWanted);
        var clock = Stopwatch.StartNew();
        using var sent = new FileStream(Path.Combine(outDir, "sent.i32"), FileMode.Create);
        using var index = new FileStream(Path.Combine(outDir, "sent_index.i64"), FileMode.Create);
        long offset = 0, done = 0, labelled = 0;
        foreach (var chunk in rows.Chunk(256))
        {
            // Rows are independent: label a chunk in parallel, write it in order.
            var labelledRows = chunk.AsParallel().AsOrdered().Select(r => Label(tokenizer, r, maxSrc, oracleSize)).ToArray();
            foreach (var triples in labelledRows)
            {
                sent.Write(MemoryMarshal.AsBytes(triples.AsSpan()));
                var count = triples.Length / 5;
                Span<long> entry = [offset, count];
                index.Write(MemoryMarshal.AsBytes(entry));
                offset += count;
                for (var i = 2; i < triples.Length; i += 5)
                    labelled += triples[i];
            }
            done += chunk.Length;
            if (done % 4096 < 256)
                Console.Error.WriteLine($"{done} rows, {offset} sentences, {labelled} oracle sentences, {clock.Elapsed.TotalSeconds:F0} s");
        }
        Console.Error.WriteLine($"done: {done} rows, {offset} sentences, {labelled} oracle sentences, {clock.Elapsed.TotalSeconds:F0} s");
        return 0;
    }

    private static int[] Label(BertWordPieceTokenizer tokenizer, EvaluationExample row, int maxSrc, int oracleSize)
    {
        var normalized = TextNormalizer.Normalize(row.Article);
        var (_, tokens) = tokenizer.EncodeWords(normalized);
        var read = tokens.Take(maxSrc).ToArray();
        var sentences = SentenceProvenance.SourceSentences(normalized.Original, read);
        var ranges = SentenceTokenRange.Of(sentences, read);
        var words = ranges.Select(r => (IReadOnlyList<string>)RougeTokenizer.Tokenize(normalized.Original[sentences[r.Sentence].Start..sentences[r.Sentence].End])).ToArray();
        var chosen = GreedyOracle.Select(words, RougeTokenizer.Tokenize(row.Reference), oracleSize);
        var triples = new int[ranges.Length * 5];
        for (var i = 0; i < ranges.Length; i++)
        {
            var (s, t0, t1) = ranges[i];
            triples[i * 5] = t0;
            triples[i * 5 + 1] = t1;
            triples[i * 5 + 2] = chosen.Contains(i) ? 1 : 0;
            triples[i * 5 + 3] = sentences[s].Start;
            triples[i * 5 + 4] = sentences[s].End;
        }
        return triples;
    }
}
