using System.Text.Json;

namespace Summarizer.Web.Tests;

/// <summary>The events of one text/event-stream body, as the browser received it.</summary>
public sealed class SseTranscript
{
    private SseTranscript(IReadOnlyList<(string Name, JsonElement Data)> events) => Events = events;

    /// <summary>Events in arrival order: name and parsed JSON data. Comments (": keep-alive") are not events.</summary>
    public IReadOnlyList<(string Name, JsonElement Data)> Events { get; }

    /// <summary>The single <c>done</c> event's data: the same object POST /summarize returns.</summary>
    public JsonElement Done => Events.Single(e => e.Name == "done").Data;

    /// <summary>Parses an SSE body (blank-line separated blocks of <c>event:</c> and <c>data:</c> lines).</summary>
    public static SseTranscript Parse(string body)
    {
        var events = new List<(string, JsonElement)>();
        foreach (var block in body.Replace("\r\n", "\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var name = "message";
            var data = new List<string>();
            foreach (var line in block.Split('\n'))
            {
                if (line.StartsWith("event:", StringComparison.Ordinal)) name = line["event:".Length..].Trim();
                else if (line.StartsWith("data:", StringComparison.Ordinal)) data.Add(line["data:".Length..].TrimStart());
            }
            if (data.Count > 0) events.Add((name, JsonDocument.Parse(string.Join('\n', data)).RootElement.Clone()));
        }
        return new SseTranscript(events);
    }
}
