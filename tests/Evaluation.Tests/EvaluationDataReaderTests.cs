using System.Diagnostics;
using Summarizer.Evaluation;

namespace Summarizer.Evaluation.Tests;

public sealed class EvaluationDataReaderTests : IDisposable
{
    private const string Rows =
        "{\"id\": \"val_1\", \"article\": \"first article .\", \"summary\": \"one .\\ntwo .\"}\n\n{\"article\": \"second .\", \"summary\": \"s .\"}\n";

    private readonly string _directory = Directory.CreateTempSubdirectory("summarizer-eval-tests-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Reads_rows_with_ids_or_line_numbers()
    {
        var rows = EvaluationDataReader.Read(new StringReader(Rows)).ToList();

        Assert.Equal([new EvaluationExample("val_1", "first article .", "one .\ntwo ."), new EvaluationExample("row3", "second .", "s .")], rows);
    }

    [Theory]
    [InlineData("{\"article\": \"a\"}", "summary")]
    [InlineData("{\"article\": 3, \"summary\": \"s\"}", "article")]
    [InlineData("[1, 2]", "JSON object")]
    [InlineData("{not json", "not valid JSON")]
    public void Malformed_rows_name_the_line_and_the_problem(string badRow, string expected)
    {
        var error = Assert.Throws<InvalidDataException>(() => EvaluationDataReader.Read(new StringReader(Rows + badRow), "data.jsonl").ToList());

        Assert.Contains("data.jsonl:4", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Reads_plain_and_xz_files_alike()
    {
        string path = Path.Combine(_directory, "rows.jsonl");
        File.WriteAllText(path, Rows);
        using (var xz = Process.Start(new ProcessStartInfo("xz", ["-k", path]))!)
        {
            xz.WaitForExit();
            Assert.Equal(0, xz.ExitCode);
        }

        var plain = EvaluationDataReader.ReadFile(path).ToList();
        var compressed = EvaluationDataReader.ReadFile(path + ".xz").ToList();

        Assert.Equal(2, plain.Count);
        Assert.Equal(plain, compressed);
        Assert.Single(EvaluationDataReader.ReadFile(path + ".xz").Take(1));
    }

    [Fact]
    public void A_missing_file_is_reported_by_name()
    {
        string path = Path.Combine(_directory, "missing.jsonl");

        var error = Assert.Throws<FileNotFoundException>(() => EvaluationDataReader.ReadFile(path));

        Assert.Contains(path, error.Message);
    }
}
