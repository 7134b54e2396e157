namespace CoachFunctions.Benchmarks;

/// <summary>
/// What one design did over all users: rows of user state it read, the users it found due and
/// their detections, and the storage transactions counted on the wire (reads and writes).
/// </summary>
public sealed record ScanOutcome(string Design, int Users, int UsersRead, IReadOnlySet<string> DueUsers, int Detections,
    long Reads, long Writes, TimeSpan Elapsed, string Note)
{
    public long Transactions => Reads + Writes;
    public double TransactionsPerUser => (double)Transactions / Users;
    public double UsersPerSecond => Users / Math.Max(Elapsed.TotalSeconds, 1e-9);
}
