using CoachFunctions.Coaching;
using CoachFunctions.Coaching.Detectors;
using CoachFunctions.Coaching.Frequency;
using static CoachFunctions.Tests.Coaching.EngineTestData;

namespace CoachFunctions.Tests.Coaching;

public sealed class PromptExpiryTests
{
    [Theory]
    [InlineData(PromptTypes.DailyCheckin, NewYork, "2026-03-07T20:00:00-05:00", "2026-03-08T05:00:00Z")]   // midnight still EST
    [InlineData(PromptTypes.HabitMissed, NewYork, "2026-03-08T09:00:00-04:00", "2026-03-09T04:00:00Z")]    // spring-forward day
    [InlineData(PromptTypes.ProgressStalled, Berlin, "2026-10-25T10:00:00+01:00", "2026-10-25T23:00:00Z")] // fall-back day
    [InlineData(PromptTypes.PatternChange, Shanghai, "2026-11-21T23:59:00+08:00", "2026-11-21T16:00:00Z")] // one minute before midnight
    [InlineData(PromptTypes.DailyCheckin, Shanghai, "2026-11-22T00:01:00+08:00", "2026-11-22T16:00:00Z")]  // one minute after it
    [InlineData(PromptTypes.WeeklyReview, Shanghai, "2026-11-22T19:00:00+08:00", "2026-11-22T16:00:00Z")]  // Sunday → Monday 00:00
    [InlineData(PromptTypes.WeeklyReview, Berlin, "2026-10-25T19:00:00+01:00", "2026-10-25T23:00:00Z")]
    [InlineData(PromptTypes.WeeklyReview, Utc, "2026-11-16T09:00:00Z", "2026-11-23T00:00:00Z")]            // Monday: the whole week
    [InlineData(PromptTypes.MilestoneReached, NewYork, "2026-10-31T12:00:00-04:00", "2026-11-02T16:00:00Z")] // 48 h, across the change
    [InlineData(PromptTypes.ContextChange, Utc, "2026-11-21T10:00:00Z", "2026-11-23T10:00:00Z")]
    [InlineData(PromptTypes.SilentPeriod, Berlin, "2026-11-21T10:00:00Z", "2026-11-28T10:00:00Z")]
    public void Each_type_goes_stale_when_its_moment_has_passed(string type, string zone, string detectedAt, string expected)
    {
        var detection = Detection(type, At(detectedAt), zone);
        Assert.Equal(At(expected), PromptExpiry.For(detection, Zone(zone)));
    }

    [Fact]
    public void Without_a_local_date_the_detection_instant_decides_the_day()
    {
        var detection = Detection(PromptTypes.DailyCheckin, At("2026-11-21T16:30:00Z"), Shanghai) with { Facts = new DetectionFacts() };
        Assert.Equal(At("2026-11-22T16:00:00Z"), PromptExpiry.For(detection, Zone(Shanghai)));
    }
}
