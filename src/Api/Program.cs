using Summarizer.Api;
using Summarizer.Api.Apis;

var builder = WebApplication.CreateBuilder(args);
builder.AddSummarizerService();

var app = builder.Build();
app.UseSummarizerService();
app.MapSummarizeApi();
app.MapStreamApi();
app.MapServiceApi();
app.Run();

/// <summary>Entry point; public for WebApplicationFactory in the tests.</summary>
public partial class Program;
