using System.Globalization;

namespace CoachFunctions.Benchmarks.Pipeline;

/// <summary>
/// <c>pipeline</c> mode's command line. Users of the cost phase (one detection, one ack, one answer
/// each), clients of the push latency phase (one prompt each), connections held at the end, and how
/// long the storage ceiling loop runs.
/// </summary>
public sealed record PipelineOptions(
    string Connection,
    int Users = 1_000,
    int Connections = 5_000,
    int HoldConnections = 10_000,
    int HoldSeconds = 15,
    int CeilingSeconds = 10,
    int HttpParallelism = 16,
    int Warmup = 50,
    int ConnectParallelism = 64)
{
    public const string Usage =
        "usage: CoachFunctions.Benchmarks pipeline [--users N (1000)] [--connections K (5000)] [--hold-connections H (10000)]\n" +
        "       [--hold-seconds S (15)] [--ceiling-seconds D (10)] [--http-parallelism P (16)] [--warmup W (50)]\n" +
        "       [--connect-parallelism C (64)] [--connection CS (default: $AzureWebJobsStorage)]\n" +
        "The benchmark drops and recreates the app's tables and clears its queues: it runs against the storage emulator only.";

    public static PipelineOptions Parse(string[] args)
    {
        var o = new PipelineOptions(Environment.GetEnvironmentVariable("AzureWebJobsStorage") ?? "");
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int Int(int min, int max)
            {
                var name = args[i];
                var value = int.Parse(Next(), CultureInfo.InvariantCulture);
                return value >= min && value <= max ? value : throw new ArgumentException($"{name} must be {min}..{max}.");
            }
            o = args[i] switch
            {
                "--users" => o with { Users = Int(1, 100_000) },
                "--connections" => o with { Connections = Int(1, 100_000) },
                "--hold-connections" => o with { HoldConnections = Int(0, 100_000) },
                "--hold-seconds" => o with { HoldSeconds = Int(0, 3_600) },
                "--ceiling-seconds" => o with { CeilingSeconds = Int(1, 600) },
                "--http-parallelism" => o with { HttpParallelism = Int(1, 256) },
                "--warmup" => o with { Warmup = Int(0, 10_000) },
                "--connect-parallelism" => o with { ConnectParallelism = Int(1, 1_000) },
                "--connection" => o with { Connection = Next() },
                _ => throw new ArgumentException($"Unknown argument '{args[i]}'."),
            };
        }
        if (string.IsNullOrWhiteSpace(o.Connection)) throw new ArgumentException("No storage: pass --connection or set AzureWebJobsStorage.");
        if (!o.Connection.Contains("AccountName=devstoreaccount1", StringComparison.OrdinalIgnoreCase) &&
            !o.Connection.Contains("UseDevelopmentStorage=true", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException("The connection string is not the storage emulator's (devstoreaccount1); refusing to drop its tables.");
        return o;
    }
}
