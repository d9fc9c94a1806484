using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;

namespace Summarizer.Evaluation;

/// <summary>Reads <c>{"id", "article", "summary"}</c> JSON Lines rows (the cnndm format) from .jsonl or .jsonl.xz files.</summary>
public static class EvaluationDataReader
{
    /// <summary>
    /// Streams the rows of <paramref name="path"/>. A path ending in <c>.xz</c> is decompressed by an <c>xz -dc</c>
    /// child process (.NET has no xz decoder), so <c>xz</c> must be on PATH for those.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">A row is not a JSON object with string "article" and "summary" fields (the message names the line).</exception>
    public static IEnumerable<EvaluationExample> ReadFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The data file '{path}' does not exist.", path);
        }

        return path.EndsWith(".xz", StringComparison.OrdinalIgnoreCase) ? ReadXz(path) : ReadPlain(path);
    }

    /// <summary>Streams the rows read from <paramref name="reader"/>; blank lines are skipped.</summary>
    /// <param name="reader">JSON Lines text.</param>
    /// <param name="sourceName">Names the source in error messages.</param>
    /// <exception cref="InvalidDataException">A row is malformed (the message names the line).</exception>
    public static IEnumerable<EvaluationExample> Read(TextReader reader, string sourceName = "input")
    {
        ArgumentNullException.ThrowIfNull(reader);
        int lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (!string.IsNullOrWhiteSpace(line))
            {
                yield return Parse(line, $"{sourceName}:{lineNumber}", lineNumber);
            }
        }
    }

    private static IEnumerable<EvaluationExample> ReadPlain(string path)
    {
        using var reader = new StreamReader(path);
        foreach (var example in Read(reader, path))
        {
            yield return example;
        }
    }

    private static IEnumerable<EvaluationExample> ReadXz(string path)
    {
        var start = new ProcessStartInfo("xz") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-dc");
        start.ArgumentList.Add(path);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("xz did not start.");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"Reading '{path}' needs the 'xz' program on PATH (or pass an uncompressed .jsonl): {e.Message}", e);
        }

        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            bool completed = false;
            try
            {
                foreach (var example in Read(process.StandardOutput, path))
                {
                    yield return example;
                }

                completed = true;
            }
            finally
            {
                if (!completed && !process.HasExited)
                {
                    // The caller took only the first rows: stop xz rather than decompress the rest.
                    process.Kill();
                }

                process.WaitForExit();
            }

            if (process.ExitCode != 0)
            {
                throw new InvalidDataException($"xz -dc '{path}' failed with exit code {process.ExitCode}: {stderr.Result.Trim()}");
            }
        }
    }

    private static EvaluationExample Parse(string line, string location, int lineNumber)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"{location}: a row must be a JSON object.");
            }

            string id = root.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String
                ? idElement.GetString()!
                : $"row{lineNumber}";
            return new EvaluationExample(id, RequiredString(root, "article", location), RequiredString(root, "summary", location));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{location}: not valid JSON ({e.Message}).", e);
        }
    }

    private static string RequiredString(JsonElement root, string name, string location) =>
        root.TryGetProperty(name, out var element) && element.ValueKind == JsonValueKind.String
            ? element.GetString()!
            : throw new InvalidDataException($"{location}: the row has no string field \"{name}\".");
}
