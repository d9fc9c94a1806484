using System.Text.Json;
using Summarizer.Evaluation;
using Summarizer.Inference;

namespace Summarizer.Eval;

/// <summary>summarizer-eval itself: parses the command line, runs the rows, prints the report and writes the files it was asked for.</summary>
public static class EvalCommand
{
    /// <summary>Runs the command; returns the exit code: 0 done, 1 the run failed, 2 a bad command line.</summary>
    /// <param name="args">The command line.</param>
    /// <param name="output">Where the report (and --help) go.</param>
    /// <param name="error">Where errors and progress go.</param>
    /// <param name="cancellationToken">Stops the run between rows and inside generation (exit code 1).</param>
    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        EvalArguments arguments;
        try
        {
            arguments = EvalArguments.Parse(args);
        }
        catch (ArgumentException e)
        {
            error.WriteLine($"error: {e.Message}\nRun with --help for usage.");
            return 2;
        }

        if (arguments.Help)
        {
            output.WriteLine(EvalArguments.Usage);
            return 0;
        }

        try
        {
            using var summarizer = TransformerSummarizer.Load(arguments.Model, new InferenceSettings { IntraOpThreads = arguments.Threads });
            DecodingOptions? options = null;
            ExtractiveOptions? extractive = null;
            if (arguments.Mode == SummaryMode.Extractive)
            {
                extractive = arguments.ResolveExtractive(summarizer.Model);
            }
            else
            {
                options = arguments.Decoding.Resolve(summarizer.Model);
                DecodingOptionsValidator.ThrowIfInvalid(options, summarizer.Model.Config.MaxTargetLength);
            }

            var vocabularyWords = EnglishWordList.FromVocabulary(BundleConfig.Load(arguments.Model).Encoder);
            string? wordListFile = arguments.WordListFile(File.Exists);
            var fileWords = wordListFile is null ? [] : EnglishWordList.ReadFile(wordListFile);
            var flawChecker = new FlawChecker(vocabularyWords.Concat(fileWords));
            output.WriteLine(wordListFile is null
                ? $"word list: none; English list: the vocabulary's {vocabularyWords.Count} whole words"
                : $"word list: {wordListFile} ({fileWords.Count} words); English list with the vocabulary's {vocabularyWords.Count} whole words: {flawChecker.EnglishWordCount} words");

            var rows = EvaluationDataReader.ReadFile(arguments.Data).Skip(arguments.Offset);
            if (arguments.Rows > 0)
            {
                rows = rows.Take(arguments.Rows);
            }

            var runner = extractive is null ? new EvaluationRunner(summarizer, options!, flawChecker) : new EvaluationRunner(summarizer, extractive, flawChecker);
            using var predictions = arguments.Out is null ? null : new StreamWriter(arguments.Out);
            int done = 0;
            var report = runner.Run(rows, prediction =>
            {
                predictions?.WriteLine(JsonSerializer.Serialize(new
                {
                    id = prediction.Example.Id,
                    summary = prediction.Summary,
                    reference = prediction.Example.Reference,
                    rouge1 = prediction.Scores.Rouge1.F1,
                    rouge2 = prediction.Scores.Rouge2.F1,
                    rougeLsum = prediction.Scores.RougeLsum.F1,
                    latency_ms = prediction.LatencyMs,
                    flaws = prediction.Flaws is not { Model: var flaws } ? null : new
                    {
                        invented_words = flaws.InventedWords,
                        unstated_numbers = flaws.UnstatedNumbers,
                        stutters = flaws.Stutters,
                        repeated_content_words = flaws.RepeatedContentWords,
                    },
                    // Extractive: which article sentences were taken (index, character span, selector score, rank).
                    extracted = prediction.Extracted?.Select(s => new { index = s.Index, start = s.Start, end = s.End, score = s.Score, rank = s.Rank }),
                }, PredictionJson));
                if (++done % 10 == 0)
                {
                    error.WriteLine($"{done} rows");
                }
            }, cancellationToken);

            string dataName = Path.GetFileName(arguments.Data);
            output.Write(extractive is null
                ? ReportFormatter.Format(report, summarizer.Model.Name, dataName, arguments.Offset, options!)
                : ReportFormatter.Format(report, summarizer.Model.Name, dataName, arguments.Offset, extractive));
            if (arguments.MetricsJson is not null)
            {
                File.WriteAllText(arguments.MetricsJson, extractive is null
                    ? MetricsJson.Format(report, dataName, arguments.Offset, options!)
                    : MetricsJson.Format(report, dataName, arguments.Offset, extractive));
            }

            return 0;
        }
        catch (Exception e) when (e is ModelBundleException or IOException or InvalidDataException or InvalidOperationException
            or ArgumentException or UnauthorizedAccessException or OperationCanceledException or NotSupportedException)
        {
            error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }

    // Abstractive rows keep the lines they always had: no "extracted": null.
    private static readonly JsonSerializerOptions PredictionJson = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };
}
