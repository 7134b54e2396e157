using System.Net;
using CoachFunctions.LocalHost.Functions;
using CoachFunctions.LocalHost.Rpc;
using CoachFunctions.LocalHost.Workers;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace CoachFunctions.LocalHost.Http;

/// <summary>
/// HTTP under ASP.NET Core integration, as the Functions host does it: the original request goes to
/// the worker's own HTTP server with <c>x-ms-invocation-id</c> while the InvocationRequest with that id
/// (an empty RpcHttp, the route values as trigger metadata) goes over gRPC; the worker pairs them.
/// The worker answers 200 with an empty body when the function throws, so its response is only
/// relayed once the invocation is known not to have failed: a failure becomes a 500 problem.
/// </summary>
internal sealed class HttpForwarder(FunctionInvoker invoker, HttpMessageInvoker client, ILoggerFactory loggers)
{
    private readonly ILogger _logger = loggers.CreateLogger("Host.Http");

    public const long MaxRequestBodySize = 1024 * 1024;

    /// <summary>How long a request waits for a worker that is (re)starting before it is answered 503.</summary>
    public static readonly TimeSpan WorkerWait = TimeSpan.FromSeconds(15);

    /// <summary>
    /// After the worker's response headers, how long to wait for the invocation's result before
    /// streaming the body anyway (a function that streams finishes only after its body).
    /// </summary>
    public static readonly TimeSpan ResultWait = TimeSpan.FromSeconds(2);

    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization", "TE", "Trailer", "Transfer-Encoding", "Upgrade", "Host",
    };

    public static HttpMessageInvoker CreateClient() => new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        ActivityHeadersPropagator = null,
    }, disposeHandler: true);

    public async Task ForwardAsync(HttpContext context, FunctionDescriptor function)
    {
        // The worker's empty 404s and the like are the function's answer: do not dress them up.
        if (context.Features.Get<IStatusCodePagesFeature>() is { } pages) pages.Enabled = false;
        var aborted = context.RequestAborted;

        if (context.Request.ContentLength > MaxRequestBodySize)
        {
            await Problems.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "Request body too large", $"The limit is {MaxRequestBodySize} bytes.");
            return;
        }

        WorkerConnection worker;
        try
        {
            worker = await invoker.ReadyWorkerAsync(WorkerWait, aborted);
        }
        catch (WorkerUnavailableException)
        {
            await ServiceUnavailableAsync(context);
            return;
        }
        if (worker.HttpUri is null)
        {
            _logger.LogError("The worker reported no HttpUri: HTTP functions need ConfigureFunctionsWebApplication() (ASP.NET Core integration).");
            await Problems.WriteAsync(context, StatusCodes.Status500InternalServerError, "The function app cannot serve HTTP requests");
            return;
        }

        var request = FunctionInvoker.NewRequest(function);
        request.InputData.Add(new ParameterBinding { Name = function.Trigger!.Name, Data = new TypedData { Http = new RpcHttp() } });
        foreach (var (key, value) in context.Request.RouteValues)
        {
            if (value?.ToString() is { } text) request.TriggerMetadata[key] = new TypedData { String = text };
        }

        using var forwarding = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        using var message = ForwardedRequest(context, worker.HttpUri, request.InvocationId);
        var invocation = invoker.InvokeAsync(worker, function, request, "This function was programmatically called via the host APIs.", forwarding.Token);
        var sending = client.SendAsync(message, forwarding.Token);

        HttpResponseMessage? response = null;
        try
        {
            if (await Task.WhenAny(invocation, sending) == invocation && !invocation.Result.Succeeded)
            {
                await forwarding.CancelAsync();
                await FailedAsync(context, invocation.Result);
                return;
            }

            try
            {
                response = await sending;
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !aborted.IsCancellationRequested)
            {
                if (BadRequestStatus(e) is { } status)
                {
                    await forwarding.CancelAsync();
                    await Problems.WriteAsync(context, status, FrontDoorLimits.BadRequestTitle(status),
                        status == StatusCodes.Status413PayloadTooLarge ? $"The limit is {MaxRequestBodySize} bytes." : null);
                    return;
                }
                // A worker that crashed mid-request fails its invocation at once: that is a 503. Otherwise the
                // worker is up but its HTTP server did not take the request: cancel the orphaned invocation.
                if (await Task.WhenAny(invocation, Task.Delay(TimeSpan.FromSeconds(1), aborted)) == invocation && invocation.Result.WorkerUnavailable)
                {
                    await ServiceUnavailableAsync(context);
                    return;
                }
                await forwarding.CancelAsync();
                _logger.LogError("Forwarding to the worker failed: {Error}", e.Message);
                await Problems.WriteAsync(context, StatusCodes.Status502BadGateway, "The function app did not answer");
                return;
            }

            // An empty 200 is what the worker sends for a function that threw: wait for the verdict.
            var looksFailed = response.StatusCode == HttpStatusCode.OK && response.Content.Headers.ContentLength == 0;
            var wait = looksFailed ? Timeout.InfiniteTimeSpan : ResultWait;
            if (await Task.WhenAny(invocation, Task.Delay(wait, aborted)) == invocation && !invocation.Result.Succeeded)
            {
                await FailedAsync(context, invocation.Result);
                return;
            }

            await RelayAsync(context, response, aborted);
            var result = await invocation;
            if (!result.Succeeded)
            {
                // The body was already on its way; a broken connection is all that is left to say.
                context.Abort();
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client went away; the invocation was cancelled with it.
        }
        finally
        {
            response?.Dispose();
            await forwarding.CancelAsync();
            try { await invocation; } catch (OperationCanceledException) { }
        }
    }

    private static HttpRequestMessage ForwardedRequest(HttpContext context, Uri workerUri, string invocationId)
    {
        var incoming = context.Request;
        var target = new Uri(workerUri, incoming.PathBase.Add(incoming.Path).ToUriComponent() + incoming.QueryString.ToUriComponent());
        var message = new HttpRequestMessage(new HttpMethod(incoming.Method), target) { Version = HttpVersion.Version11 };

        var canHaveBody = context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? incoming.ContentLength > 0;
        if (canHaveBody) message.Content = new StreamContent(incoming.Body);

        foreach (var (name, values) in incoming.Headers)
        {
            if (HopByHop.Contains(name) || name.StartsWith(':')) continue;
            if (!message.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values)) message.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
        }

        var remote = context.Connection.RemoteIpAddress?.ToString();
        message.Headers.Remove("X-Forwarded-For");
        if (remote is not null)
            message.Headers.TryAddWithoutValidation("X-Forwarded-For", incoming.Headers["X-Forwarded-For"] is { Count: > 0 } chain ? $"{chain}, {remote}" : remote);
        message.Headers.Remove("X-Forwarded-Proto");
        message.Headers.TryAddWithoutValidation("X-Forwarded-Proto", incoming.Scheme);
        message.Headers.Remove("X-Forwarded-Host");
        message.Headers.TryAddWithoutValidation("X-Forwarded-Host", incoming.Host.Value);
        message.Headers.TryAddWithoutValidation("x-ms-invocation-id", invocationId);
        return message;
    }

    private static async Task RelayAsync(HttpContext context, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (HopByHop.Contains(name)) continue;
            context.Response.Headers[name] = values.ToArray();
        }
        await context.Response.StartAsync(cancellationToken);

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            await context.Response.Body.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            // Flush per read so that streamed responses (server-sent events, large downloads) keep flowing.
            await context.Response.Body.FlushAsync(cancellationToken);
        }
    }

    private static Task FailedAsync(HttpContext context, InvocationOutcome outcome) => outcome.WorkerUnavailable
        ? ServiceUnavailableAsync(context)
        : Problems.WriteAsync(context, StatusCodes.Status500InternalServerError, "The function failed", "See the local host's log for the error.");

    private static Task ServiceUnavailableAsync(HttpContext context)
    {
        context.Response.Headers.RetryAfter = "5";
        return Problems.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "The function app is starting or restarting", "Retry in a few seconds.");
    }

    /// <summary>The status Kestrel gave the request body (too large, broken chunking) if that is why forwarding failed.</summary>
    private static int? BadRequestStatus(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is BadHttpRequestException bad) return bad.StatusCode;
        }
        return null;
    }
}
