using Azure.Data.Tables;
using CoachFunctions.Coaching;
using CoachFunctions.Coaching.Detectors;
using CoachFunctions.Storage;
using CoachFunctions.Storage.Tables;

namespace CoachFunctions.Benchmarks;

/// <summary>
/// One user's UserData rows as the seed's pseudo-code reads them: preferences (with the profile that
/// sorts beside them), habits, completions, prompts. The seeder writes them and the naive design
/// reads them back; both turn them into a <see cref="UserSnapshot"/> through the product's
/// <see cref="SnapshotRows"/>, as <see cref="UserSnapshots.LoadAsync"/> does (the seeder checks a
/// sample against it), so the summary rows and the naive design judge the same facts.
/// </summary>
public sealed record UserRows(string UserId, TableEntity? Preferences, TableEntity? Profile,
    IReadOnlyList<TableEntity> Habits, IReadOnlyList<TableEntity> Completions, IReadOnlyList<TableEntity> Prompts)
{
    public IEnumerable<TableEntity> All() =>
        new[] { Preferences, Profile }.OfType<TableEntity>().Concat(Habits).Concat(Completions).Concat(Prompts);

    /// <summary>The product's own assembly of these rows (no events or interactions are seeded).</summary>
    public UserSnapshot ToSnapshot(DateTimeOffset now) =>
        new SnapshotRows(UserId, Preferences, Profile, Habits, Completions, Prompts, [], []).ToSnapshot(now, firstSeenAt: null);
}
