using System.Globalization;
using System.Runtime.InteropServices;
using CoachFunctions.Storage.Tables;

namespace CoachFunctions.Benchmarks;

/// <summary>Prints the run: machine facts, each scenario as it completes, then one table of every figure and the ratios.</summary>
public sealed class Report(BenchOptions options, DateTimeOffset tick)
{
    /// <summary>The issue's target: with nothing due, at most one storage transaction per 100 users.</summary>
    public const double TargetPer100Users = 1.0;

    private readonly List<(int Percent, ScanOutcome Real, ScanOutcome? Naive)> _rows = [];

    public void Header()
    {
        Line("CoachFunctions scan benchmark (issue 3 item 6)");
        Line($"machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.ProcessArchitecture}");
        Line($"storage: {Endpoint(options.Connection)} (emulator); {UserSummaries.ShardCount} shards, page size {UserSummaries.PageSize}");
        Line($"users: {options.Users}; due scenarios: {string.Join(", ", options.DuePercents.Select(p => p + "%"))}; parallelism per design: {options.Parallelism}" +
             (!options.RunNaive ? "; --real-only: the naive design is not run" :
              options.NaiveSample is { } k ? $"; the naive design judges a sample of {k} users" : ""));
        Line($"benchmark instant: {tick:O}; both designs run one after the other in this process, on the same seeded data, timed in this one run");
        Line();
    }

    public void Seeded(int percent, SeedResult seed, int meantDue, int verified)
    {
        Line($"[{percent}% due] seeded {seed.Users} users in {seed.Elapsed.TotalSeconds:F1} s ({seed.Transactions} transactions: one batch per user, " +
             $"summaries in batches of {Seeder.BatchLimit} per shard); meant due {meantDue}, engine says due {seed.DueByEngine.Count}; " +
             $"{verified} sampled summaries identical to UserSnapshots.LoadAsync");
    }

    /// <summary>Prints the scenario's designs; false when they disagree on who is due (with each other and with the seeding).</summary>
    public bool Scenario(int percent, SeedResult seed, ScanOutcome real, ScanOutcome? naive)
    {
        _rows.Add((percent, real, naive));
        foreach (var o in new[] { real, naive }.OfType<ScanOutcome>())
            Line($"[{percent}% due] {o.Design}: {o.Elapsed.TotalSeconds:F2} s, {o.Transactions} transactions ({o.Reads} reads, {o.Writes} writes); {o.Note}");
        // A sampled naive run is compared on its sample: the real design's and the seeding's due users among those judged.
        IReadOnlySet<string> Among(IReadOnlySet<string> due) => naive?.Judged is { } judged ? due.Where(judged.Contains).ToHashSet(StringComparer.Ordinal) : due;
        var realDue = Among(real.DueUsers);
        var seedDue = Among(seed.DueByEngine);
        var naiveDue = naive?.DueUsers ?? seedDue;
        var agree = realDue.SetEquals(naiveDue) && realDue.SetEquals(seedDue);
        var scope = naive?.Judged is { } j ? $" among the {j.Count} sampled users" : "";
        Line($"[{percent}% due] same due users {(naive is null ? "as at seeding" : "in both designs")}{scope}: {(agree ? "yes" : "NO")} " +
             $"({realDue.Count} real, {(naive is null ? "naive not run" : naive.DueUsers.Count + " naive")}, {seedDue.Count} at seeding" +
             (agree ? ")" : $"; only real: {Sample(realDue.Except(naiveDue))}; only the other: {Sample(naiveDue.Except(realDue))})"));
        Line();
        return agree;
    }

    public void Footer(bool allAgree)
    {
        const string format = "{0,-6} {1,-17} {2,7} {3,7} {4,6} {5,10} {6,12} {7,10} {8,9} {9,10} {10,9}";
        Line(string.Format(CultureInfo.InvariantCulture, format, "due", "design", "users", "read", "due", "detections", "transactions", "tx/user", "tx/100u", "users/s", "seconds"));
        foreach (var (percent, real, naive) in _rows)
        {
            foreach (var o in new[] { real, naive }.OfType<ScanOutcome>())
                Line(string.Format(CultureInfo.InvariantCulture, format, percent + "%", o.Design, o.Users, o.UsersRead, o.DueUsers.Count, o.Detections,
                    o.Transactions, o.TransactionsPerUser.ToString("F4", CultureInfo.InvariantCulture),
                    (o.TransactionsPerUser * 100).ToString("F2", CultureInfo.InvariantCulture),
                    o.UsersPerSecond.ToString("F0", CultureInfo.InvariantCulture), o.Elapsed.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture)));
        }
        Line();
        foreach (var (percent, real, naive) in _rows.Where(r => r.Naive is not null).Select(r => (r.Percent, r.Real, r.Naive!)))
        {
            Line(FormattableString.Invariant(
                $"ratio naive/real at {percent}% due: transactions per user x{naive.TransactionsPerUser / Math.Max(real.TransactionsPerUser, 1e-12):F1}, users/second x{naive.UsersPerSecond / real.UsersPerSecond:F4} (real is {real.UsersPerSecond / naive.UsersPerSecond:F1} times faster)"));
        }
        foreach (var (_, real, _) in _rows.Where(r => r.Percent == 0))
        {
            var per100 = real.TransactionsPerUser * 100;
            Line(FormattableString.Invariant(
                $"target (nothing due: at most {TargetPer100Users:F0} transaction per 100 users): real design {per100:F2} per 100 users: {(per100 <= TargetPer100Users ? "met" : "NOT met")}"));
        }
        Line(allAgree ? "due users: the same set in every scenario" : "due users: the designs DISAGREE (see above)");
    }

    private static string Sample(IEnumerable<string> ids) => string.Join(",", ids.Take(5)) is { Length: > 0 } s ? s : "none";

    /// <summary>The table endpoint only: the connection string's key never reaches the output.</summary>
    private static string Endpoint(string connection) =>
        connection.Split(';').Select(p => p.Split('=', 2)).Where(p => p.Length == 2 && p[0].Equals("TableEndpoint", StringComparison.OrdinalIgnoreCase))
            .Select(p => p[1]).FirstOrDefault() ?? "UseDevelopmentStorage (127.0.0.1:10002)";

    private static void Line(string text = "") => Console.WriteLine(text);
}
