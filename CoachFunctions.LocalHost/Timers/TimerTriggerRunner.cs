using System.Globalization;
using System.Text.Json;
using CoachFunctions.LocalHost.Functions;
using CoachFunctions.LocalHost.Rpc;
using Microsoft.Extensions.Logging;

namespace CoachFunctions.LocalHost.Timers;

/// <summary>
/// One timer-triggered function: runOnStartup, a missed occurrence run late with IsPastDue when the
/// schedule is monitored, then every occurrence in UTC, one invocation at a time, no retries.
/// </summary>
internal sealed class TimerTriggerRunner(
    FunctionDescriptor function,
    TimerSchedule schedule,
    bool runOnStartup,
    bool useMonitor,
    ScheduleStatusStore store,
    FunctionInvoker invoker,
    TimeProvider time,
    ILogger logger)
{
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var status = useMonitor ? store.Read(function.Name) : null;
        if (status is not null && schedule.GetNext(status.Last) != status.Next)
        {
            // The schedule changed since the status was written: what it called "next" no longer applies.
            status = status with { Next = schedule.GetNext(status.Last) };
        }

        var next = schedule.GetNext(now);
        if (status is not null && status.Next < now)
        {
            logger.LogInformation("Timer {Function} missed its occurrence at {Missed:O}; running it now as past due.", function.Name, status.Next);
            await InvokeAsync(status.Next, next, isPastDue: true, status, stoppingToken);
        }
        else if (runOnStartup)
        {
            await InvokeAsync(now, next, isPastDue: false, status, stoppingToken);
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            next = schedule.GetNext(time.GetUtcNow().UtcDateTime);
            logger.LogDebug("Timer {Function} next fires at {Next:O}.", function.Name, next);
            await DelayUntilAsync(next, stoppingToken);
            await InvokeAsync(next, schedule.GetNext(next), isPastDue: false, useMonitor ? store.Read(function.Name) : null, stoppingToken);
        }
    }

    private async Task InvokeAsync(DateTime occurrence, DateTime next, bool isPastDue, ScheduleStatus? status, CancellationToken stoppingToken)
    {
        var worker = await invoker.ReadyWorkerAsync(Timeout.InfiniteTimeSpan, stoppingToken);
        var request = FunctionInvoker.NewRequest(function);
        request.InputData.Add(new ParameterBinding { Name = function.Trigger!.Name, Data = new TypedData { Json = TimerInfoJson(status, isPastDue) } });
        await invoker.InvokeAsync(worker, function, request, $"Timer fired at {time.GetUtcNow():O}", stoppingToken);
        if (useMonitor) store.Write(function.Name, new ScheduleStatus(occurrence, next, time.GetUtcNow().UtcDateTime));
    }

    /// <summary>The timer input the worker binds TimerInfo from.</summary>
    public static string TimerInfoJson(ScheduleStatus? status, bool isPastDue) => JsonSerializer.Serialize(new
    {
        Schedule = new { AdjustForDST = true },
        ScheduleStatus = status is null ? null : new
        {
            Last = Iso(status.Last),
            Next = Iso(status.Next),
            LastUpdated = Iso(status.LastUpdated),
        },
        IsPastDue = isPastDue,
    });

    private static string Iso(DateTime utc) => DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("O", CultureInfo.InvariantCulture);

    private async Task DelayUntilAsync(DateTime due, CancellationToken stoppingToken)
    {
        // Task.Delay takes at most ~49 days, and long sleeps drift: wait in slices of at most a day.
        while (true)
        {
            var remaining = due - time.GetUtcNow().UtcDateTime;
            if (remaining <= TimeSpan.Zero) return;
            await Task.Delay(remaining < TimeSpan.FromDays(1) ? remaining : TimeSpan.FromDays(1), time, stoppingToken);
        }
    }
}
