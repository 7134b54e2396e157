namespace CoachFunctions.Coaching.Detectors;

/// <summary>
/// Something the app reported about the user's life (travel, illness, a new schedule) that the coach
/// has not spoken to yet. After two days the moment has passed and the event is left alone.
/// </summary>
public sealed class ContextChangeRule : IDetectionRule
{
    public static readonly TimeSpan FreshFor = TimeSpan.FromHours(48);
    public const int MaxNoteLength = 200;

    public string Type => PromptTypes.ContextChange;

    public IEnumerable<Detection> Detect(UserSnapshot user, LocalClock clock)
    {
        var today = clock.Today.ToString("yyyy-MM-dd");
        foreach (var e in user.PendingContext)
        {
            if (clock.UtcNow - e.At > FreshFor) continue;
            var key = $"{Type}:{e.Id}";
            if (user.RecentPrompts.Any(p => p.DedupeKey == key)) continue;

            yield return new Detection(user.UserId, Type, Priority.Medium, 0.8,
                new DetectionFacts { LocalDate = today, EventId = e.Id, ContextKind = e.Kind, ContextNote = Truncate(e.Note) },
                key, clock.UtcNow);
        }
    }

    public IEnumerable<DateTimeOffset> Wakeups(UserSnapshot user, LocalClock clock) => [];

    /// <summary>Cut to the limit without splitting a surrogate pair (the note is the user's text, any script).</summary>
    internal static string? Truncate(string? note)
    {
        if (note is null || note.Length <= MaxNoteLength) return note;
        var length = char.IsHighSurrogate(note[MaxNoteLength - 1]) ? MaxNoteLength - 1 : MaxNoteLength;
        return note[..length];
    }
}
