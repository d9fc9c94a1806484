using System.Text.Json;
using Summarizer.Eval;
using Summarizer.Inference;
using Summarizer.Evaluation;

EvalArguments arguments;
try
{
    arguments = EvalArguments.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"error: {e.Message}\nRun with --help for usage.");
    return 2;
}

if (arguments.Help)
{
    Console.WriteLine(EvalArguments.Usage);
    return 0;
}

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancellation.Cancel(); };

try
{
    using var summarizer = TransformerSummarizer.Load(arguments.Model, new InferenceSettings { IntraOpThreads = arguments.Threads });
    var options = arguments.Decoding.Resolve(summarizer.Model);
    DecodingOptionsValidator.ThrowIfInvalid(options, summarizer.Model.Config.MaxTargetLength);

    var vocabularyWords = EnglishWordList.FromVocabulary(summarizer);
    string? wordListFile = arguments.WordListFile(File.Exists);
    var fileWords = wordListFile is null ? [] : EnglishWordList.ReadFile(wordListFile);
    var flawChecker = new FlawChecker(vocabularyWords.Concat(fileWords));
    Console.WriteLine(wordListFile is null
        ? $"word list: none; English list: the vocabulary's {vocabularyWords.Count} whole words"
        : $"word list: {wordListFile} ({fileWords.Count} words); English list with the vocabulary's {vocabularyWords.Count} whole words: {flawChecker.EnglishWordCount} words");

    var rows = EvaluationDataReader.ReadFile(arguments.Data).Skip(arguments.Offset);
    if (arguments.Rows > 0)
    {
        rows = rows.Take(arguments.Rows);
    }

    using var predictions = arguments.Out is null ? null : new StreamWriter(arguments.Out);
    int done = 0;
    var report = new EvaluationRunner(summarizer, options, flawChecker).Run(rows, prediction =>
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
        }));
        if (++done % 10 == 0)
        {
            Console.Error.WriteLine($"{done} rows");
        }
    }, cancellation.Token);

    Console.Write(ReportFormatter.Format(report, summarizer.Model.Name, Path.GetFileName(arguments.Data), arguments.Offset, options));
    if (arguments.MetricsJson is not null)
    {
        File.WriteAllText(arguments.MetricsJson, MetricsJson.Format(report, Path.GetFileName(arguments.Data), arguments.Offset, options));
    }

    return 0;
}
catch (Exception e) when (e is ModelBundleException or IOException or InvalidDataException or InvalidOperationException
    or ArgumentException or UnauthorizedAccessException or OperationCanceledException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}
