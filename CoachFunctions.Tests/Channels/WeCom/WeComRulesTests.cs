using CoachFunctions.Coaching;
using CoachFunctions.Coaching.Channels;
using CoachFunctions.Coaching.Channels.WeCom;

namespace CoachFunctions.Tests.Channels.WeCom;

/// <summary>The WeCom send rules alone: the 48-hour window and its 5 messages, quiet time and the daily limit, in the user's zone.</summary>
public sealed class WeComRulesTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZones.Resolve("Asia/Shanghai");
    private static readonly TimeZoneInfo Berlin = TimeZones.Resolve("Europe/Berlin");

    // 10:00 in Shanghai (UTC+8).
    private static readonly DateTimeOffset Wrote = new(2031, 5, 6, 2, 0, 0, TimeSpan.Zero);
    private static readonly WeComSession Session = new WeComSession("wk-kf", "wm-user").WithInbound(Wrote);

    private static ChannelResult? Check(WeComSession? s, DateTimeOffset now, TimeZoneInfo? zone = null, WeComLimits? limits = null) =>
        WeComRules.Check(s, now, zone ?? Shanghai, limits ?? WeComLimits.Default);

    [Fact]
    public void No_session_or_no_message_yet_is_refused()
    {
        Assert.Equal(ChannelResult.Refuse(WeComRules.NotLinked), Check(null, Wrote));
        Assert.Equal(ChannelResult.Refuse(WeComRules.NoInbound), Check(new WeComSession("wk-kf", "wm-user"), Wrote));
    }

    [Fact]
    public void The_window_is_open_until_48_hours_after_the_last_message_and_closed_from_then()
    {
        // 48 h later is 10:00 local, outside quiet time, so only the window decides.
        Assert.Null(Check(Session, Wrote));
        Assert.Null(Check(Session, Wrote + TimeSpan.FromHours(48) - TimeSpan.FromSeconds(1)));
        Assert.Equal(ChannelResult.Refuse(WeComRules.WindowClosed), Check(Session, Wrote + TimeSpan.FromHours(48)));
        Assert.Equal(ChannelResult.Refuse(WeComRules.WindowClosed), Check(Session, Wrote + TimeSpan.FromDays(5)));
    }

    [Fact]
    public void The_fifth_message_may_go_and_the_sixth_is_refused()
    {
        var s = Session;
        for (var i = 0; i < 4; i++) s = s.WithSent(Wrote.AddMinutes(i), Shanghai);
        Assert.Null(Check(s, Wrote.AddMinutes(10))); // the 5th
        s = s.WithSent(Wrote.AddMinutes(10), Shanghai);
        Assert.Equal(5, s.SentInWindow);
        Assert.Equal(ChannelResult.Refuse(WeComRules.WindowUsedUp), Check(s, Wrote.AddMinutes(11))); // the 6th
    }

    [Fact]
    public void A_new_message_from_the_user_restarts_the_count_and_the_window_but_an_old_one_does_not()
    {
        var s = Session;
        for (var i = 0; i < 5; i++) s = s.WithSent(Wrote.AddMinutes(i), Shanghai);
        Assert.Equal(s, s.WithInbound(Wrote)); // a redelivered callback
        Assert.Equal(s, s.WithInbound(Wrote.AddMinutes(-5)));
        var later = Wrote.AddHours(30);
        var reset = s.WithInbound(later);
        Assert.Equal(0, reset.SentInWindow);
        Assert.Null(Check(reset, later.AddMinutes(1)));
        Assert.Null(Check(reset, Wrote + TimeSpan.FromHours(50))); // past the first window, inside the second
        Assert.Equal(ChannelResult.Refuse(WeComRules.WindowClosed), Check(reset, later + TimeSpan.FromHours(48)));
        Assert.Equal(5, reset.WithSent(later, Shanghai).SentOnDay + 4); // the daily count is not the window's
    }

    [Fact]
    public void Quiet_time_across_midnight_waits_until_it_ends_when_the_window_is_still_open_then()
    {
        // 23:30 and 03:00 local are quiet; both wait until 08:00 local (00:00 UTC).
        var evening = new DateTimeOffset(2031, 5, 6, 15, 30, 0, TimeSpan.Zero);
        var morning = new DateTimeOffset(2031, 5, 6, 19, 0, 0, TimeSpan.Zero);
        var eight = new DateTimeOffset(2031, 5, 7, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(ChannelResult.Retry(WeComRules.QuietTime, eight - evening), Check(Session, evening));
        Assert.Equal(ChannelResult.Retry(WeComRules.QuietTime, eight - morning), Check(Session, morning));
        Assert.Null(Check(Session, eight)); // 08:00 is no longer quiet
        Assert.Null(Check(Session, new DateTimeOffset(2031, 5, 6, 13, 59, 0, TimeSpan.Zero))); // 21:59 local is not quiet
        Assert.NotNull(Check(Session, new DateTimeOffset(2031, 5, 6, 14, 0, 0, TimeSpan.Zero))); // 22:00 sharp is
    }

    [Fact]
    public void Quiet_time_that_outlasts_the_window_is_refused()
    {
        // The user wrote at 07:00 local; 47 h later is 06:00 local, quiet until 08:00, when the window has closed.
        var wrote = new DateTimeOffset(2031, 5, 5, 23, 0, 0, TimeSpan.Zero);
        var s = new WeComSession("wk-kf", "wm-user").WithInbound(wrote);
        Assert.Equal(ChannelResult.Refuse(WeComRules.QuietPastWindow), Check(s, wrote.AddHours(47)));
    }

    [Fact]
    public void Quiet_time_is_in_the_users_zone_and_may_be_turned_off()
    {
        var at = new DateTimeOffset(2031, 5, 6, 15, 30, 0, TimeSpan.Zero); // 23:30 Shanghai, 17:30 Berlin (CEST)
        Assert.Equal(ChannelOutcome.RetryLater, Check(Session, at, Shanghai)!.Outcome);
        Assert.Null(Check(Session, at, Berlin));
        Assert.Null(Check(Session, at, Shanghai, WeComLimits.Default with { QuietStart = TimeOnly.MinValue, QuietEnd = TimeOnly.MinValue }));
        // A quiet time within one day (13:00-14:00) ends the same day.
        var lunch = WeComLimits.Default with { QuietStart = new TimeOnly(13, 0), QuietEnd = new TimeOnly(14, 0) };
        var half = new DateTimeOffset(2031, 5, 6, 5, 30, 0, TimeSpan.Zero); // 13:30 Shanghai
        Assert.Equal(ChannelResult.Retry(WeComRules.QuietTime, TimeSpan.FromMinutes(30)), Check(Session, half, Shanghai, lunch));
    }

    [Fact]
    public void The_daily_limit_counts_per_local_day_in_the_users_zone()
    {
        var limits = WeComLimits.Default with { DailyLimit = 2 };
        var s = Session.WithSent(Wrote, Shanghai).WithSent(Wrote.AddHours(1), Shanghai);
        Assert.Equal(ChannelResult.Refuse(WeComRules.DailyLimitReached), Check(s, Wrote.AddHours(2), Shanghai, limits));
        // 08:00 the next local day (00:00 UTC): a new day in Shanghai, so the limit is fresh.
        var nextMorning = new DateTimeOffset(2031, 5, 7, 0, 0, 0, TimeSpan.Zero);
        Assert.Null(Check(s, nextMorning, Shanghai, limits));
        // In Berlin the two sends (04:00, 05:00 CEST on the 6th) and 02:00 CEST on the 7th are different days too,
        // but 18:00 CEST on the 6th is still the same day.
        var b = Session.WithSent(Wrote, Berlin).WithSent(Wrote.AddHours(1), Berlin);
        Assert.Equal(ChannelResult.Refuse(WeComRules.DailyLimitReached), Check(b, new DateTimeOffset(2031, 5, 6, 16, 0, 0, TimeSpan.Zero), Berlin, limits));
        Assert.Null(Check(b, new DateTimeOffset(2031, 5, 6, 22, 30, 0, TimeSpan.Zero), Berlin, limits with { QuietStart = TimeOnly.MinValue, QuietEnd = TimeOnly.MinValue }));
    }

    [Fact]
    public void A_count_given_back_leaves_a_newer_window_alone()
    {
        var s = Session.WithSent(Wrote, Shanghai);
        var day = LocalClock.DateOf(Wrote, Shanghai);
        Assert.Equal(Session with { SentDay = day }, s.WithoutSent(Session.LastInboundAt, day));
        var renewed = s.WithInbound(Wrote.AddHours(1)); // count restarted meanwhile
        Assert.Equal(0, renewed.WithoutSent(Session.LastInboundAt, day).SentInWindow);
        Assert.Equal(0, renewed.WithoutSent(Session.LastInboundAt, day).SentOnDay);
    }

    [Theory]
    [InlineData("22:00-08:00", true)]
    [InlineData(" 13:00 - 14:30 ", true)]
    [InlineData("", true)]
    [InlineData("22-08", false)]
    [InlineData("22:00", false)]
    [InlineData("25:00-08:00", false)]
    public void Quiet_time_settings_parse(string text, bool ok) => Assert.Equal(ok, WeComLimits.TryParseQuietTime(text, out _, out _));
}
