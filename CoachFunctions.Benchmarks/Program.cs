using Azure.Storage.Queues;
using CoachFunctions.Benchmarks;
using CoachFunctions.Benchmarks.Pipeline;
using CoachFunctions.Coaching;
using CoachFunctions.Storage;

// `pipeline`: detection → push, answers and acks on the local host (issue 13); `clients`: that
// benchmark's SignalR clients, started by it as a child process.
if (args.Length > 0 && args[0] == "pipeline")
{
    try
    {
        return await PipelineBenchmark.RunAsync(args[1..]);
    }
    catch (Exception e) when (e is not OperationCanceledException)
    {
        Console.Error.WriteLine($"The pipeline benchmark failed: {e}");
        return 1;
    }
}
if (args.Length > 0 && args[0] == "clients") return await ClientsProcess.RunAsync();

// The scan benchmark (issue 3 item 6): seed N users in the emulator, then run the real design
// (due summaries per shard) and the naive one (per-user queries) side by side, per scenario.
BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
var ct = cancel.Token;

// A Wednesday: no weekly review; every zone of the population is in daytime, out of quiet hours.
var tick = new DateTimeOffset(2026, 3, 11, 12, 30, 0, TimeSpan.Zero);
var engine = CoachingEngine.Default;
var report = new Report(options, tick);
report.Header();

var allAgree = true;
foreach (var percent in options.DuePercents)
{
    // Each design gets its own clients and counter, so each is counted alone in the same process and run.
    var seedCounter = new RequestCounter();
    var seeding = new StorageClients(options.Connection, QueueMessageEncoding.Base64, seedCounter);
    var seeder = new Seeder(seeding, seedCounter, engine, parallelism: 8);
    var population = new Population(options.Users, percent, tick);

    await seeder.ResetAsync(ct);
    var seed = await seeder.SeedAsync(population, tick, ct);
    var verified = await seeder.VerifySampleAsync(population, tick, options.VerifySample, ct);
    var meant = Enumerable.Range(0, options.Users).Count(population.IsMeantDue);
    report.Seeded(percent, seed, meant, verified);

    var realCounter = new RequestCounter();
    var real = await new RealDesign(new StorageClients(options.Connection, QueueMessageEncoding.Base64, realCounter), realCounter, engine, options.Parallelism)
        .RunAsync(options.Users, tick, ct);
    ScanOutcome? naive = null;
    if (options.RunNaive)
    {
        var naiveCounter = new RequestCounter();
        naive = await new NaiveDesign(new StorageClients(options.Connection, QueueMessageEncoding.Base64, naiveCounter), naiveCounter, engine, options.Parallelism)
            .RunAsync(options.Users, tick, ct, options.NaiveSample);
    }

    allAgree &= report.Scenario(percent, seed, real, naive);
}
report.Footer(allAgree);
return allAgree ? 0 : 1;
