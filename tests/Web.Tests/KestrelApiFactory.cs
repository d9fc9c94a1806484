using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Summarizer.Web.Tests;

/// <summary>The real API (its own Program, static files and summarizer) on Kestrel at 127.0.0.1 and a free port, with the tiny fixture model.</summary>
public sealed class KestrelApiFactory : WebApplicationFactory<Program>
{
    private readonly string _modelPath;

    /// <summary>Creates a factory that serves the model bundle in <paramref name="modelPath"/>.</summary>
    public KestrelApiFactory(string modelPath)
    {
        _modelPath = modelPath;
        UseKestrel();
    }

    /// <summary>The address Kestrel is listening on, e.g. http://127.0.0.1:41234/ (after <see cref="WebApplicationFactory{T}.StartServer"/>).</summary>
    public Uri BaseAddress
    {
        get
        {
            var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses
                ?? throw new InvalidOperationException("Kestrel reported no listening addresses.");
            return new Uri(addresses.First().TrimEnd('/') + "/");
        }
    }

    /// <inheritdoc />
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Summarizer:ModelPath", _modelPath);
        // Replaces appsettings.json's fixed endpoint (localhost:5080): port 0 lets the OS pick a free one, so a running dev server never collides.
        builder.UseSetting("Kestrel:Endpoints:Http:Url", "http://127.0.0.1:0");
    }
}
