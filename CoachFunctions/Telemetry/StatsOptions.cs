namespace CoachFunctions.Telemetry;

/// <summary>Settings <c>Stats__FlushIntervalSeconds</c>, <c>Stats__TableName</c>, <c>Stats__InstanceId</c>.</summary>
public sealed class StatsOptions
{
    public const string Section = "Stats";

    public int FlushIntervalSeconds { get; set; } = 10;

    public string TableName { get; set; } = Storage.StorageNames.StatsTable;

    /// <summary>Unset: a fresh id per process (see <see cref="StatsAggregator.NewInstanceId"/>).</summary>
    public string? InstanceId { get; set; }
}
