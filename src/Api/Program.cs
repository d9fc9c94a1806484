using Microsoft.Extensions.Options;
using Summarizer.Api;
using Summarizer.Api.Apis;
using Summarizer.Api.Services;

var builder = WebApplication.CreateBuilder(args);
builder.AddSummarizerService();

ModelState? model = null;
try
{
    var app = builder.Build();
    app.UseSummarizerService();
    app.MapSummarizeApi();
    app.MapServiceApi();
    model = app.Services.GetRequiredService<ModelState>();
    app.Run();
    // A model that failed to load stopped the host: a failure exit code, so supervisors do not take it for a clean stop.
    return model.LoadFailed ? 1 : 0;
}
catch (OperationCanceledException) when (model is { LoadFailed: true })
{
    // The model failed before the server finished starting, which cancelled the start; the failure is already logged.
    return 1;
}
catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
{
    // Another process holds the port: the operator's to fix, like a bad setting.
    Console.Error.WriteLine($"Configuration error: {e.Message} Choose another address with --urls, ASPNETCORE_URLS or ASPNETCORE_HTTP_PORTS.");
    return 2;
}
catch (OptionsValidationException e)
{
    // A bad setting is the operator's to fix: say which, without a stack trace.
    Console.Error.WriteLine($"Configuration error: {string.Join(" ", e.Failures)}");
    return 2;
}

/// <summary>Entry point; public for WebApplicationFactory in the tests.</summary>
public partial class Program;
