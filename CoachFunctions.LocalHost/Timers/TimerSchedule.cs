using System.Globalization;
using NCrontab;

namespace CoachFunctions.LocalHost.Timers;

/// <summary>
/// A timer trigger's schedule, in UTC: six-field NCrontab (with seconds), five-field accepted, or a
/// constant interval ("00:05:00") as the host also allows.
/// </summary>
internal sealed class TimerSchedule
{
    private readonly CrontabSchedule? _cron;
    private readonly TimeSpan? _interval;

    private TimerSchedule(string expression, CrontabSchedule? cron, TimeSpan? interval)
    {
        Expression = expression;
        _cron = cron;
        _interval = interval;
    }

    public string Expression { get; }

    public static TimerSchedule Parse(string expression)
    {
        var trimmed = expression.Trim();
        var fields = trimmed.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        if (fields is 5 or 6)
        {
            var cron = CrontabSchedule.TryParse(trimmed, new CrontabSchedule.ParseOptions { IncludingSeconds = fields == 6 });
            if (cron is not null) return new TimerSchedule(trimmed, cron, null);
        }
        else if (TimeSpan.TryParse(trimmed, CultureInfo.InvariantCulture, out var interval) && interval > TimeSpan.Zero)
        {
            return new TimerSchedule(trimmed, null, interval);
        }
        throw new FormatException($"'{expression}' is not a valid timer schedule (six-field or five-field NCrontab, or an hh:mm:ss interval).");
    }

    /// <summary>The first occurrence strictly after <paramref name="after"/> (UTC).</summary>
    public DateTime GetNext(DateTime after)
    {
        var utc = DateTime.SpecifyKind(after, DateTimeKind.Utc);
        return _cron is not null ? DateTime.SpecifyKind(_cron.GetNextOccurrence(utc), DateTimeKind.Utc) : utc + _interval!.Value;
    }

    /// <summary>The host turns the schedule monitor off for schedules that fire more often than once a minute.</summary>
    public bool IsMoreFrequentThanAMinute(DateTime now)
    {
        var first = GetNext(now);
        return GetNext(first) - first < TimeSpan.FromMinutes(1);
    }
}
