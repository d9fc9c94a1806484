using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Summarizer.Api.Tests.Infrastructure;

namespace Summarizer.Api.Tests;

/// <summary>
/// The real service processes, started as operators start them: ASP.NET Core's usual address settings decide where each
/// listens, so instances run side by side on one machine.
/// </summary>
public sealed class HostingTests
{
    [Fact]
    public async Task InstancesListenWhereUrlsAspNetCoreUrlsAndHttpPortsSayAllAtOnce()
    {
        int[] ports = FreePorts(3);
        var processes = new List<Process>();
        try
        {
            processes.Add(Start([$"--urls=http://127.0.0.1:{ports[0]}"], []));
            processes.Add(Start([], new() { ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{ports[1]}" }));
            processes.Add(Start([], new() { ["ASPNETCORE_HTTP_PORTS"] = ports[2].ToString(System.Globalization.CultureInfo.InvariantCulture) }));

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            for (var i = 0; i < ports.Length; i++)
                Assert.True(await AnswersAsync(http, ports[i], processes[i]), $"instance {i} did not answer on port {ports[i]}");
            // All three are still up together (none lost its port to another).
            for (var i = 0; i < ports.Length; i++)
            {
                Assert.False(processes[i].HasExited, $"instance {i} exited");
                using var live = await http.GetAsync(new Uri($"http://127.0.0.1:{ports[i]}/health/live"));
                Assert.Equal(HttpStatusCode.OK, live.StatusCode);
            }
        }
        finally
        {
            foreach (var process in processes)
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
                process.Dispose();
            }
        }
    }

    private static Process Start(string[] arguments, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = TestPaths.ApiProject,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Summarizer.Api.dll"));
        start.ArgumentList.Add($"--Summarizer:ModelPath={TestPaths.TinyBundle}");
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // The test runner's own address settings must not leak into the child.
        foreach (var name in new[] { "ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "DOTNET_URLS" })
            start.Environment.Remove(name);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    // Polls /health/live for up to 60 s (bounded), giving up early if the process died.
    private static async Task<bool> AnswersAsync(HttpClient http, int port, Process process)
    {
        for (var attempt = 0; attempt < 240; attempt++)
        {
            if (process.HasExited) return false;
            try
            {
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/health/live"));
                if (response.StatusCode == HttpStatusCode.OK) return true;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(250);
        }
        return false;
    }

    // Ports the OS hands out now, held open together so they differ, then released for the services.
    private static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        listeners.ForEach(l => l.Start());
        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        listeners.ForEach(l => l.Stop());
        return ports;
    }
}
