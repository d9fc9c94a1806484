using System.Threading.Channels;

namespace Summarizer.Api.Services;

/// <summary>
/// Keeps a slow event stream open: while a wait for the next events outlasts the interval, a <c>: keep-alive</c> comment
/// goes out every interval, so proxies and clients do not take a long generation step for a dead connection.
/// </summary>
public sealed class EventStreamKeepAlive(ServerSentEventWriter events, TimeSpan interval)
{
    /// <summary>Waits until <paramref name="reader"/> has items (true) or is complete (false), keeping the stream alive meanwhile.</summary>
    public async Task<bool> WaitToReadAsync<T>(ChannelReader<T> reader, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var ready = reader.WaitToReadAsync(cancellationToken).AsTask();
        if (!events.Started)
            return await ready; // nothing is written before the first event, so an early error can still be a problem response
        while (true)
        {
            try
            {
                return await ready.WaitAsync(interval, cancellationToken);
            }
            catch (TimeoutException)
            {
                await events.WriteCommentAsync("keep-alive", cancellationToken);
                await events.FlushAsync(cancellationToken);
            }
        }
    }
}
