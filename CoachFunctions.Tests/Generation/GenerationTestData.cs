using System.Globalization;
using CoachFunctions.Coaching;
using CoachFunctions.Coaching.Detectors;

namespace CoachFunctions.Tests.Generation;

/// <summary>The fixed moment and the missed-habit detection the generation tests write prompts for.</summary>
internal static class GenerationTestData
{
    public static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-21T10:00:00Z", CultureInfo.InvariantCulture);

    public static readonly Detection Missed = new("u1", PromptTypes.HabitMissed, Priority.Medium, 0.8,
        new DetectionFacts { HabitId = "h1", HabitName = "Reading", MissedDays = 3, StreakBefore = 9, LocalDate = "2026-11-21" },
        "habit_missed:h1:2026-11-21", Now);
}
