namespace CoachFunctions.Benchmarks;

/// <summary>
/// What one design did over all users: rows of user state it read, the users it found due and
/// their detections, and the storage transactions counted on the wire (reads and writes).
/// <see cref="Judged"/> is set when the design judged only a sample of the users: those.
/// </summary>
public sealed record ScanOutcome(string Design, int Users, int UsersRead, IReadOnlySet<string> DueUsers, int Detections,
    long Reads, long Writes, TimeSpan Elapsed, string Note, IReadOnlySet<string>? Judged = null)
{
    public long Transactions => Reads + Writes;
    public double TransactionsPerUser => (double)Transactions / Users;
    public double UsersPerSecond => Users / Math.Max(Elapsed.TotalSeconds, 1e-9);
}
