using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.OpenApi;
using Serilog;
using Summarizer.Api.Services;
using Summarizer.Inference;

namespace Summarizer.Api;

/// <summary>Service registration and the middleware pipeline, kept out of Program.cs.</summary>
public static class HostingExtensions
{
    /// <summary>Where the service listens when no address is configured.</summary>
    public const string DefaultUrl = "http://localhost:5080";

    // "urls" holds --urls and ASPNETCORE_URLS; "http_ports"/"https_ports" hold ASPNETCORE_HTTP(S)_PORTS.
    private static bool HasListenAddress(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration["urls"])
        || !string.IsNullOrWhiteSpace(configuration["http_ports"])
        || !string.IsNullOrWhiteSpace(configuration["https_ports"])
        || configuration.GetSection("Kestrel:Endpoints").GetChildren().Any();

    /// <summary>Registers options, the model, the gate, metrics, logging, security and Swagger.</summary>
    public static WebApplicationBuilder AddSummarizerService(this WebApplicationBuilder builder)
    {
        // ASP.NET Core's own ways to choose the address win (--urls, ASPNETCORE_URLS, ASPNETCORE_HTTP_PORTS as the
        // official images set it, Kestrel:Endpoints); only when none is given does the service take its documented port.
        if (!HasListenAddress(builder.Configuration))
            builder.WebHost.UseUrls(DefaultUrl);

        var services = builder.Services;
        services.AddOptions<SummarizerServiceOptions>()
            .BindConfiguration(SummarizerServiceOptions.SectionName)
            .ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<SummarizerServiceOptions>, SummarizerServiceOptionsValidator>();
        services.AddOptions<KestrelServerOptions>().Configure<Microsoft.Extensions.Options.IOptions<SummarizerServiceOptions>>(
            (kestrel, o) => kestrel.Limits.MaxRequestBodySize = o.Value.MaxRequestBodyBytes);

        services.AddSerilog((sp, logger) => logger
            .ReadFrom.Configuration(sp.GetRequiredService<IConfiguration>())
            .ReadFrom.Services(sp)
            .Enrich.FromLogContext(), preserveStaticLogger: true);

        services.AddSingleton<ISummarizer>(SummarizerFactory.Create);
        services.AddSingleton<ModelState>();
        services.AddHostedService<ModelLoader>();
        services.AddSingleton<ServiceMetrics>();
        services.AddSingleton<GenerationGate>();
        services.AddSingleton<RequestChecks>();
        services.AddSingleton<SummaryTelemetry>();

        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.AddPerClientRateLimiting();
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder().AddPolicy(ApiKeyAuthenticationHandler.PolicyName, policy => policy
            .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName)
            .RequireAuthenticatedUser());
        services.AddHealthChecks().AddCheck<ModelReadyHealthCheck>("model", tags: ["ready"]);

        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(swagger =>
        {
            swagger.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "Summarizer API",
                Version = "v1",
                Description = "Abstractive summaries with the attention maps behind them: for each summary token, which source tokens the " +
                    "decoder attended to and how likely it copied; or, with `\"mode\": \"extractive\"`, the text's best sentences as written, " +
                    "chosen by a sentence selector over the encoder's memory. Try it in the browser at [the page](/) (served from `/`). " +
                    "Limits, defaults and option ranges: `GET /info`. When API keys are configured, send one in the `X-Api-Key` header.",
            });
            foreach (var xml in new[] { "Summarizer.Api.xml", "Summarizer.Inference.xml" })
            {
                var path = Path.Combine(AppContext.BaseDirectory, xml);
                if (File.Exists(path)) swagger.IncludeXmlComments(path);
            }
            swagger.SchemaFilter<DecodingOptionSchemas>();
            swagger.OperationFilter<RequestExamples>();
            swagger.OperationFilter<ResponsesInStatusOrder>();
            swagger.AddSecurityDefinition("ApiKey", new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = ApiKeyAuthenticationHandler.HeaderName,
                Description = "Required only when Summarizer:ApiKeys is configured.",
            });
        });
        return builder;
    }

    /// <summary>The middleware pipeline: request logging, metrics, errors → problem+json, static page, Swagger, rate limiting, API keys.</summary>
    public static WebApplication UseSummarizerService(this WebApplication app)
    {
        var o = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SummarizerServiceOptions>>().Value;
        if (o.TrustForwardedHeaders)
        {
            var forwarded = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto };
            // The proxy's address is not known in advance (containers, pods), so every hop is trusted when the operator opts in.
            forwarded.KnownIPNetworks.Clear();
            forwarded.KnownProxies.Clear();
            app.UseForwardedHeaders(forwarded);
        }
        app.UseSerilogRequestLogging(logging =>
        {
            // The DI logger, not the static Log.Logger (left untouched so several hosts can run in one process).
            logging.Logger = app.Services.GetRequiredService<Serilog.ILogger>();
            logging.MessageTemplate = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0} ms " +
                "(request {RequestId}, input {InputChars} chars, output {OutputChars} chars, model {ModelMs:0.0} ms)";
            logging.EnrichDiagnosticContext = (diagnostics, http) => diagnostics.Set("RequestId", http.TraceIdentifier);
        });
        app.UseMiddleware<RequestTelemetryMiddleware>();
        // Inside the request log and the metrics, so both see the status the exception handler answers with.
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseSwagger();
        app.UseSwaggerUI(ui => ui.DocumentTitle = "Summarizer API");
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();

        if (o.ApiKeys.Length == 0)
            app.Logger.LogWarning("API-key authentication is OFF (Summarizer:ApiKeys is empty): anyone who can reach the service can use it");
        else
            app.Logger.LogInformation("API-key authentication is on with {KeyCount} key(s) in the {Header} header", o.ApiKeys.Length, ApiKeyAuthenticationHandler.HeaderName);
        app.Logger.LogInformation("Model path {ModelPath}; max {MaxConcurrency} concurrent generations, queue {QueueLength}; rate limit {Permits} per {Window} s (0 = off)",
            o.ResolveModelPath(app.Environment.ContentRootPath), o.MaxConcurrency, o.QueueLength, o.RateLimitPermits, o.RateLimitWindowSeconds);
        return app;
    }
}
