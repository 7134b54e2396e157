using System.Globalization;

namespace CoachFunctions.Benchmarks;

/// <summary>
/// Command line: <c>--users N --due-percent P (repeatable) --connection CS --parallelism D --verify-sample K [--real-only | --naive-sample K]</c>.
/// <c>--real-only</c> exists because the emulator answers every query by scanning the whole table, so
/// the naive design's time grows with the square of the users there (see the README);
/// <c>--naive-sample K</c> runs the naive design on K users spread over all of them instead.
/// </summary>
public sealed record BenchOptions(int Users, IReadOnlyList<int> DuePercents, string Connection, int Parallelism, int VerifySample, bool RunNaive = true, int? NaiveSample = null)
{
    public const string Usage =
        "usage: CoachFunctions.Benchmarks [--users N (10000)] [--due-percent P (repeatable; default 0 and 5)]\n" +
        "       [--connection CS (default: $AzureWebJobsStorage)] [--parallelism D (4)] [--verify-sample K (20)]\n" +
        "       [--real-only | --naive-sample K (naive design on K users spread over all)]\n" +
        "The benchmark drops and recreates the UserData and UserSummaries tables: it runs against the storage emulator only.";

    public static BenchOptions Parse(string[] args)
    {
        int users = 10_000, parallelism = 4, sample = 20;
        var percents = new List<int>();
        var runNaive = true;
        int? naiveSample = null;
        var connection = Environment.GetEnvironmentVariable("AzureWebJobsStorage");
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int Int(int min, int max)
            {
                var name = args[i];
                var value = int.Parse(Next(), CultureInfo.InvariantCulture);
                return value >= min && value <= max ? value : throw new ArgumentException($"{name} must be {min}..{max}.");
            }
            switch (args[i])
            {
                case "--users": users = Int(1, 1_000_000); break;
                case "--due-percent": percents.Add(Int(0, 100)); break;
                case "--connection": connection = Next(); break;
                case "--parallelism": parallelism = Int(1, 64); break;
                case "--verify-sample": sample = Int(0, 1_000_000); break;
                case "--real-only": runNaive = false; break;
                case "--naive-sample": naiveSample = Int(1, 1_000_000); break;
                default: throw new ArgumentException($"Unknown argument '{args[i]}'.");
            }
        }
        if (string.IsNullOrWhiteSpace(connection)) throw new ArgumentException("No storage: pass --connection or set AzureWebJobsStorage.");
        if (!IsEmulator(connection)) throw new ArgumentException("The connection string is not the storage emulator's (devstoreaccount1); refusing to drop its tables.");
        return new BenchOptions(users, percents.Count == 0 ? [0, 5] : percents, connection, parallelism, sample, runNaive,
            naiveSample < users ? naiveSample : null);
    }

    private static bool IsEmulator(string connection) =>
        connection.Contains("UseDevelopmentStorage=true", StringComparison.OrdinalIgnoreCase) ||
        connection.Contains("AccountName=devstoreaccount1", StringComparison.OrdinalIgnoreCase);
}
