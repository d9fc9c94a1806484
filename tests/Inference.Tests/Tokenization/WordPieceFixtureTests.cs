using System.Security.Cryptography;
using System.Text;
using Summarizer.Evaluation;
using Summarizer.Inference.Tests.Support;

namespace Summarizer.Inference.Tests.Tokenization;

/// <summary>
/// C# WordPiece against training/wordpiece.py on real articles: tests/fixtures/wordpiece/val-ids.tsv holds, per cnndm
/// validation row, the id count and the SHA-256 of the comma-joined ids Python computed (training/tokenizer_fixture.py).
/// </summary>
public class WordPieceFixtureTests
{
    [Fact]
    public void Validation_articles_give_the_ids_python_gives()
    {
        var fixture = Path.Combine(Path.GetDirectoryName(TinyBundle.Find())!, "wordpiece", "val-ids.tsv");
        var data = Path.GetFullPath(Path.Combine(fixture, "..", "..", "..", "..", "..", "shared", "data", "cnndm", "val.jsonl.xz"));
        // The data lives beside the repository (../shared/data), as CI has it: a missing copy fails rather than passing unchecked.
        Assert.True(File.Exists(data), $"The tokenizer parity test needs {data} (../shared/data beside the repository).");
        var expected = File.ReadLines(fixture).Where(l => !l.StartsWith('#')).Select(l => l.Split('\t')).ToList();
        Assert.NotEmpty(expected);

        var rows = EvaluationDataReader.ReadFile(data).Take(expected.Count).ToList();
        Assert.Equal(expected.Count, rows.Count);
        var mismatches = new List<string>();
        for (var i = 0; i < rows.Count; i++)
        {
            var ids = PackagedEncoder.Tokenizer.Encode(rows[i].Article);
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join(',', ids))));
            Assert.Equal(expected[i][1], rows[i].Id);
            if (ids.Length.ToString() != expected[i][2] || hash != expected[i][3])
                mismatches.Add($"row {i} ({rows[i].Id}): {ids.Length} ids, Python {expected[i][2]}");
        }
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches.Take(10)));
    }
}
