namespace Summarizer.Api.Models;

/// <summary>Wall-clock milliseconds per stage. totalMs covers tokenize + encode + decode; queueMs is the wait for a generation slot before it.</summary>
public sealed record ResponseTimings(double TokenizeMs, double EncodeMs, double DecodeMs, double TotalMs, double QueueMs);
