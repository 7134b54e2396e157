using CoachFunctions.LocalHost.Queues;
using CoachFunctions.LocalHost.Settings;
using CoachFunctions.LocalHost.Timers;
using CoachFunctions.LocalHost.Workers;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CoachFunctions.LocalHost.Functions;

/// <summary>
/// Starts the queue listeners and timers once the first worker has indexed the app, and on stop
/// lets running invocations finish (up to a drain period) after polling has stopped.
/// </summary>
internal sealed class TriggerService(
    FunctionCatalog catalog,
    AppSettings settings,
    HostJson host,
    QueueClientFactory queues,
    QueuePollingSignal polling,
    FunctionInvoker invoker,
    WorkerSlot slot,
    ScheduleStatusStore statusStore,
    TimeProvider time,
    ILoggerFactory loggers) : IHostedService
{
    public static readonly TimeSpan Drain = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly ILogger _logger = loggers.CreateLogger("Host.Triggers");
    private Task _running = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _running = RunAsync();
        return Task.CompletedTask;
    }

    /// <summary>Idempotent: the local host calls it before the web host does, to stop in its own order.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await Task.WhenAny(_running, Task.Delay(Drain, cancellationToken)).ContinueWith(_ => { }, TaskScheduler.Default);
        await _abort.CancelAsync();
        await _running.WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private async Task RunAsync()
    {
        IReadOnlyList<FunctionDescriptor> functions;
        try
        {
            functions = await catalog.FirstLoaded.WaitAsync(_stopping.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        var triggers = new List<Task>();
        foreach (var function in functions)
        {
            try
            {
                if (Start(function) is { } trigger) triggers.Add(Guard(function, trigger));
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException)
            {
                _logger.LogError("Function {Function} will not be triggered: {Error}", function.Name, e.Message);
            }
        }
        await Task.WhenAll(triggers);
    }

    private Task? Start(FunctionDescriptor function)
    {
        var trigger = function.Trigger;
        var logger = loggers.CreateLogger($"Host.Triggers.{function.Name}");
        switch (trigger?.Type.ToLowerInvariant())
        {
            case "queuetrigger":
                var queueName = QueueClientFactory.NormalizeQueueName(settings.Resolve(trigger.Property("queueName") ?? throw new InvalidOperationException("queueTrigger without queueName.")));
                var listener = new QueueTriggerListener(function, queueName, trigger.Property("connection"), host.Queues, queues, invoker, slot, polling, logger);
                return listener.RunAsync(_stopping.Token, _abort.Token);
            case "timertrigger":
                var schedule = TimerSchedule.Parse(settings.Resolve(trigger.Property("schedule") ?? throw new InvalidOperationException("timerTrigger without schedule.")));
                var now = time.GetUtcNow().UtcDateTime;
                var useMonitor = trigger.Flag("useMonitor", true) && !schedule.IsMoreFrequentThanAMinute(now);
                var runner = new TimerTriggerRunner(function, schedule, trigger.Flag("runOnStartup", false), useMonitor, statusStore, invoker, time, logger);
                // A timer's invocation is short and not retried: stopping cancels it with polling.
                return runner.RunAsync(_stopping.Token);
            case "httptrigger":
                return null;
            default:
                _logger.LogWarning("Function {Function} has a {Trigger} trigger, which the local host does not provide.", function.Name, trigger?.Type ?? "missing");
                return null;
        }
    }

    private async Task Guard(FunctionDescriptor function, Task trigger)
    {
        try
        {
            await trigger;
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            // A trigger that dies must not take the host down; it says why instead.
            _logger.LogError(e, "The trigger of {Function} stopped.", function.Name);
        }
    }
}
