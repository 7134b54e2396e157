using System.Text.Json;
using CoachFunctions.Hosting.Invocation;
using NCrontab;

namespace CoachFunctions.Hosting.Local;

/// <summary>Fires each timer-triggered function on its six-field NCrontab schedule (UTC), like the host.</summary>
public sealed class TimerTriggerService(
    FunctionCatalog catalog, FunctionInvoker invoker, OutputBinder binder, IConfiguration configuration,
    TimeProvider time, ILogger<TimerTriggerService> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(catalog.Functions.Where(f => f.Trigger.Type == "timerTrigger").Select(f => RunAsync(f, stoppingToken)));

    private async Task RunAsync(FunctionDefinition function, CancellationToken ct)
    {
        var expression = FunctionCatalog.Resolve(function.Trigger.Schedule!, k => configuration[k]);
        var schedule = CrontabSchedule.Parse(expression, new CrontabSchedule.ParseOptions { IncludingSeconds = true });
        DateTimeOffset? last = null;
        logger.LogInformation("Timer {Function} scheduled '{Schedule}'", function.Name, expression);
        if (function.Trigger.RunOnStartup == true) await FireAsync(function, last, schedule, ct);
        while (!ct.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            var next = new DateTimeOffset(schedule.GetNextOccurrence(now.UtcDateTime), TimeSpan.Zero);
            try { await Task.Delay(next - now, time, ct); }
            catch (OperationCanceledException) { return; }
            await FireAsync(function, last, schedule, ct);
            last = next;
        }
    }

    private async Task FireAsync(FunctionDefinition function, DateTimeOffset? last, CrontabSchedule schedule, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var timer = new
        {
            Schedule = new { AdjustForDST = true },
            ScheduleStatus = new
            {
                Last = last ?? DateTimeOffset.MinValue,
                Next = new DateTimeOffset(schedule.GetNextOccurrence(now.UtcDateTime), TimeSpan.Zero),
                LastUpdated = now,
            },
            IsPastDue = false,
        };
        var request = new InvocationRequest();
        request.Data[function.Trigger.Name] = JsonSerializer.SerializeToElement(timer);
        request.Metadata["sys"] = JsonSerializer.SerializeToElement(new { MethodName = function.Name, UtcNow = now, RandGuid = Guid.NewGuid() });
        try
        {
            var result = await invoker.InvokeAsync(function.Name, request, ct);
            await binder.BindAsync(function, result, ct);
            foreach (var line in result.Logs) logger.LogInformation("{Function}: {Line}", function.Name, line);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Timer function {Function} failed", function.Name);
        }
    }
}
