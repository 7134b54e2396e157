namespace CoachFunctions.Coaching.Channels.WeCom;

/// <summary>
/// One user's WeCom customer-service conversation as the channel's rules see it: the kf account and
/// the WeChat user on it, when the user last wrote (null until their first message: entering the
/// session through the link binds, but only a message the user sends opens WeCom's 48-hour window),
/// how many messages went out since, and how many on <see cref="SentDay"/> (a local date in the user's zone).
/// </summary>
public sealed record WeComSession(
    string OpenKfId,
    string ExternalUserId,
    DateTimeOffset? LastInboundAt = null,
    int SentInWindow = 0,
    DateOnly? SentDay = null,
    int SentOnDay = 0)
{
    /// <summary>
    /// The user wrote at <paramref name="at"/>: a newer message opens a new window and restarts the
    /// count; an older or repeated one (a redelivered callback, a replayed sync page) changes nothing.
    /// </summary>
    public WeComSession WithInbound(DateTimeOffset at) =>
        LastInboundAt is { } last && at <= last ? this : this with { LastInboundAt = at, SentInWindow = 0 };

    /// <summary>One more message went out at <paramref name="now"/>, counted in the window and on its local day.</summary>
    public WeComSession WithSent(DateTimeOffset now, TimeZoneInfo zone)
    {
        var day = LocalClock.DateOf(now, zone);
        return this with { SentInWindow = SentInWindow + 1, SentDay = day, SentOnDay = SentDay == day ? SentOnDay + 1 : 1 };
    }

    /// <summary>
    /// Gives back a count taken by <see cref="WithSent"/> for a message that did not go out. The window
    /// count only if no newer inbound message restarted it meanwhile (<paramref name="windowOf"/>).
    /// </summary>
    public WeComSession WithoutSent(DateTimeOffset? windowOf, DateOnly day) => this with
    {
        SentInWindow = LastInboundAt == windowOf ? Math.Max(0, SentInWindow - 1) : SentInWindow,
        SentOnDay = SentDay == day ? Math.Max(0, SentOnDay - 1) : SentOnDay,
    };
}
