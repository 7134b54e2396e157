using System.Globalization;

namespace CoachFunctions.Telemetry;

/// <summary>
/// This process's running totals per UTC day, waiting to be flushed to its own CoachStats row.
/// The instance id is fresh per process, so a restart starts a new row instead of overwriting
/// the old one with smaller totals; nothing is lost or counted twice.
/// </summary>
public sealed class StatsAggregator(TimeProvider time, string instanceId)
{
    private readonly object _gate = new();
    private readonly Dictionary<string, DayState> _days = new(StringComparer.Ordinal);

    public string InstanceId { get; } = instanceId;

    public static string DayKey(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    /// <summary>A row key unique to this process: machine name (key-safe) and a random suffix.</summary>
    public static string NewInstanceId()
    {
        var machine = new string(Environment.MachineName.Where(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.').Take(40).ToArray());
        return $"{(machine.Length == 0 ? "host" : machine)}-{Guid.NewGuid():N}";
    }

    public void Record(Action<DailyStats> change)
    {
        var day = DayKey(time.GetUtcNow());
        lock (_gate)
        {
            if (!_days.TryGetValue(day, out var state)) _days[day] = state = new DayState();
            change(state.Totals);
            state.Version++;
        }
    }

    /// <summary>Copies of the days changed since their last flush, with the version each copy holds.</summary>
    public IReadOnlyList<PendingDay> Pending()
    {
        lock (_gate)
        {
            return _days.Where(d => d.Value.Version > d.Value.FlushedVersion)
                .Select(d => new PendingDay(d.Key, d.Value.Totals.Clone(), d.Value.Version)).ToList();
        }
    }

    /// <summary>Records a written copy; days before today that are fully written are dropped from memory.</summary>
    public void MarkFlushed(PendingDay written)
    {
        var today = DayKey(time.GetUtcNow());
        lock (_gate)
        {
            if (!_days.TryGetValue(written.Day, out var state)) return;
            state.FlushedVersion = Math.Max(state.FlushedVersion, written.Version);
            foreach (var old in _days.Where(d => string.CompareOrdinal(d.Key, today) < 0 && d.Value.Version == d.Value.FlushedVersion).Select(d => d.Key).ToList())
                _days.Remove(old);
        }
    }

    private sealed class DayState
    {
        public DailyStats Totals { get; } = new();
        public long Version { get; set; }
        public long FlushedVersion { get; set; }
    }
}

public sealed record PendingDay(string Day, DailyStats Totals, long Version);
