using System.Text.Json.Nodes;

namespace Summarizer.Api.Tests.Infrastructure;

/// <summary>One Server-Sent Event: its name and JSON data, or a comment line.</summary>
/// <param name="Name">The event name ("start", "token", "done", "error"), or null for a comment.</param>
/// <param name="Data">The parsed data, null for a comment.</param>
/// <param name="Comment">The comment text, for a comment.</param>
public sealed record SseEvent(string? Name, JsonNode? Data, string? Comment)
{
    /// <summary>Parses a whole text/event-stream body.</summary>
    public static List<SseEvent> ParseAll(string body)
    {
        var events = new List<SseEvent>();
        foreach (var block in body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            string? name = null, data = null;
            foreach (var line in block.Split('\n'))
            {
                if (line.StartsWith(':')) events.Add(new SseEvent(null, null, line[1..].Trim()));
                else if (line.StartsWith("event: ")) name = line["event: ".Length..];
                else if (line.StartsWith("data: ")) data = line["data: ".Length..];
            }
            if (name is not null) events.Add(new SseEvent(name, data is null ? null : JsonNode.Parse(data), null));
        }
        return events;
    }

    /// <summary>Reads events from a stream as they arrive.</summary>
    public static async IAsyncEnumerable<SseEvent> ReadAsync(Stream stream)
    {
        using var reader = new StreamReader(stream);
        string? name = null, data = null;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.Length == 0)
            {
                if (name is not null) yield return new SseEvent(name, data is null ? null : JsonNode.Parse(data), null);
                name = data = null;
            }
            else if (line.StartsWith(':')) yield return new SseEvent(null, null, line[1..].Trim());
            else if (line.StartsWith("event: ")) name = line["event: ".Length..];
            else if (line.StartsWith("data: ")) data = line["data: ".Length..];
        }
    }
}
