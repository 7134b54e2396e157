using System.Diagnostics;
using CoachFunctions.LocalHost.Queues;
using CoachFunctions.LocalHost.Rpc;
using CoachFunctions.LocalHost.Workers;
using Microsoft.Extensions.Logging;

namespace CoachFunctions.LocalHost.Functions;

/// <summary>
/// Invokes a function on the ready worker and applies its outputs. A failed function, a failed output
/// or a worker that went away all come back as a failed outcome; only cancellation throws.
/// </summary>
internal sealed class FunctionInvoker(WorkerSlot slot, QueueOutputWriter queueOutputs, ILoggerFactory loggers)
{
    private readonly ILogger _logger = loggers.CreateLogger("Host.Executor");

    /// <summary>The ready worker, waiting at most <paramref name="wait"/> (e.g. while it restarts).</summary>
    public async Task<WorkerConnection> ReadyWorkerAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(wait);
        try
        {
            return await slot.WaitReadyAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new WorkerUnavailableException($"No worker became ready within {wait.TotalSeconds:0} s.");
        }
    }

    public static InvocationRequest NewRequest(FunctionDescriptor function, string? invocationId = null) => new()
    {
        InvocationId = invocationId ?? Guid.NewGuid().ToString(),
        FunctionId = function.Id,
        TraceContext = new RpcTraceContext
        {
            TraceParent = Activity.Current is { IdFormat: ActivityIdFormat.W3C } current
                ? current.Id!
                : $"00-{ActivityTraceId.CreateRandom()}-{ActivitySpanId.CreateRandom()}-01",
        },
    };

    private static bool IsHttp(FunctionDescriptor function) =>
        string.Equals(function.Trigger?.Type, "httpTrigger", StringComparison.OrdinalIgnoreCase);

    public async Task<InvocationOutcome> InvokeAsync(WorkerConnection worker, FunctionDescriptor function, InvocationRequest request, string reason, CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        _logger.LogDebug("Executing 'Functions.{Function}' (Reason='{Reason}', Id={InvocationId})", function.Name, reason, request.InvocationId);
        InvocationOutcome outcome;
        try
        {
            var response = await worker.InvokeAsync(request, function.Name, cancellationToken);
            if (response.Result?.Status == StatusResult.Types.Status.Success)
            {
                await queueOutputs.WriteAsync(function, response, cancellationToken);
                outcome = new InvocationOutcome(true, null, response);
            }
            else
            {
                var exception = response.Result?.Exception;
                outcome = new InvocationOutcome(false, exception is null ? response.Result?.Result ?? "failed" : $"{exception.Type}: {exception.Message}", response);
            }
        }
        catch (WorkerUnavailableException e)
        {
            outcome = InvocationOutcome.NoWorker(e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException && e is Azure.RequestFailedException or InvalidOperationException or System.Text.Json.JsonException)
        {
            outcome = InvocationOutcome.Failed($"An output binding failed: {e.Message}");
        }

        if (outcome.Succeeded)
            // Requests are worth a line each; a successful queue or timer run is not (16 shard scans a
            // tick, most with nothing due): its own logs say what it did, and failures always show.
            _logger.Log(IsHttp(function) ? LogLevel.Information : LogLevel.Debug,
                "Executed 'Functions.{Function}' (Succeeded, Id={InvocationId}, Duration={Duration}ms)", function.Name, request.InvocationId, started.ElapsedMilliseconds);
        else
            _logger.LogError("Executed 'Functions.{Function}' (Failed, Id={InvocationId}, Duration={Duration}ms): {Error}", function.Name, request.InvocationId, started.ElapsedMilliseconds, FirstLine(outcome.Error));
        return outcome;
    }

    /// <summary>The worker's own log already has the stack trace; the summary line keeps to the exception's first line.</summary>
    private static string? FirstLine(string? error) => error?.Split('\n', 2)[0].Split("   at ", 2)[0].Trim();
}
