using CoachFunctions.Coaching;
using CoachFunctions.Coaching.Channels;

namespace CoachFunctions.Tests.Channels;

/// <summary>
/// Seed 000's table (spec §4) for every priority, every set of accepted channels and every set of
/// reachable channels: high in-app, else push, else e-mail; medium push, else in-app; low e-mail,
/// else in-app; WeCom before the push webhook wherever push is named; in-app always last.
/// </summary>
public sealed class ChannelDispatchTests
{
    private static readonly string[] Channels = [DeliveryChannels.InApp, DeliveryChannels.Push, DeliveryChannels.Email, DeliveryChannels.WeCom];
    private static readonly string[] Reachable = [DeliveryChannels.Push, DeliveryChannels.Email, DeliveryChannels.WeCom];

    private static IEnumerable<string[]> Subsets(string[] of) =>
        Enumerable.Range(0, 1 << of.Length).Select(mask => of.Where((_, i) => (mask & (1 << i)) != 0).ToArray());

    public static TheoryData<Priority, string[], string[]> Table()
    {
        var data = new TheoryData<Priority, string[], string[]>();
        foreach (var priority in Enum.GetValues<Priority>())
            foreach (var accepted in Subsets(Channels))
                foreach (var reachable in Subsets(Reachable))
                    data.Add(priority, accepted, reachable);
        return data;
    }

    [Fact]
    public void The_table_covers_every_combination() => Assert.Equal(3 * 16 * 8, Table().Count);

    [Theory]
    [MemberData(nameof(Table))]
    public void The_order_follows_the_seed(Priority priority, string[] accepted, string[] reachable)
    {
        var order = ChannelDispatch.Order(priority, accepted, reachable.Contains);
        Assert.Equal(Expected(priority, accepted, reachable), order);
        Assert.Equal(DeliveryChannels.InApp, order[^1]);
        Assert.Single(order, DeliveryChannels.InApp);
        // Only accepted channels the user can be reached on come before in-app.
        Assert.All(order.SkipLast(1), c => Assert.True(accepted.Contains(c) && reachable.Contains(c), c));
        // Reachability is only asked of channels that could come first.
        Assert.All(ChannelDispatch.Candidates(priority, accepted), c => Assert.True(accepted.Contains(c) && c != DeliveryChannels.InApp));
    }

    /// <summary>The seed's if/else chains, written out once more.</summary>
    private static string[] Expected(Priority priority, string[] accepted, string[] reachable)
    {
        bool Ok(string c) => accepted.Contains(c) && reachable.Contains(c);
        var pushClass = new[] { DeliveryChannels.WeCom, DeliveryChannels.Push }.Where(Ok);
        IEnumerable<string> first = priority switch
        {
            Priority.High when accepted.Contains(DeliveryChannels.InApp) => [],
            Priority.High => [.. pushClass, .. new[] { DeliveryChannels.Email }.Where(Ok)],
            Priority.Medium => pushClass,
            _ => new[] { DeliveryChannels.Email }.Where(Ok),
        };
        return [.. first, DeliveryChannels.InApp];
    }

    [Theory]
    [InlineData(Priority.High, "in_app,push,email", "push,email", "in_app")]
    [InlineData(Priority.High, "push,email", "push,email", "push,email,in_app")]
    [InlineData(Priority.High, "push,email,wecom", "email", "email,in_app")]
    [InlineData(Priority.Medium, "in_app,push,wecom", "push,wecom", "wecom,push,in_app")]
    [InlineData(Priority.Medium, "in_app,email", "email", "in_app")]
    [InlineData(Priority.Low, "in_app,email", "email", "email,in_app")]
    [InlineData(Priority.Low, "email,push", "push", "in_app")]
    public void Examples(Priority priority, string accepted, string reachable, string expected) =>
        Assert.Equal(expected.Split(','), ChannelDispatch.Order(priority, accepted.Split(','), reachable.Split(',').Contains));

    [Fact]
    public void The_default_user_needs_no_reachability_at_all()
    {
        foreach (var priority in Enum.GetValues<Priority>())
            Assert.Empty(ChannelDispatch.Candidates(priority, [DeliveryChannels.InApp]));
    }

    [Fact]
    public void The_next_channel_after_one_that_gave_up()
    {
        string[] order = [DeliveryChannels.WeCom, DeliveryChannels.Push, DeliveryChannels.InApp];
        Assert.Equal(DeliveryChannels.Push, ChannelDispatch.Next(order, DeliveryChannels.WeCom));
        Assert.Equal(DeliveryChannels.InApp, ChannelDispatch.Next(order, DeliveryChannels.Push));
        Assert.Equal(DeliveryChannels.InApp, ChannelDispatch.Next(order, DeliveryChannels.Email));
    }

    [Theory]
    [InlineData(1, 30)]
    [InlineData(2, 60)]
    [InlineData(3, 120)]
    [InlineData(5, 480)]
    [InlineData(12, 3600)]
    public void Backoff_doubles_from_30_seconds_with_bounded_jitter_and_a_cap(int attempt, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), RetryBackoff.Delay(attempt, null, 0));
        var jittered = RetryBackoff.Delay(attempt, null, 0.999);
        Assert.InRange(jittered.TotalSeconds, seconds, Math.Min(3600, Math.Ceiling(seconds * 1.2)));
    }

    [Fact]
    public void Backoff_honours_retry_after_within_the_cap()
    {
        Assert.Equal(TimeSpan.FromSeconds(7), RetryBackoff.Delay(1, TimeSpan.FromSeconds(7), 0.5));
        Assert.Equal(RetryBackoff.Cap, RetryBackoff.Delay(1, TimeSpan.FromDays(1), 0.5));
    }

    [Fact]
    public void The_delivery_log_is_bounded_and_keeps_the_newest()
    {
        IReadOnlyList<DeliveryAttempt> log = [];
        for (var i = 1; i <= DeliveryAttempt.MaxKept + 5; i++)
            log = DeliveryAttempt.Append(log, new DeliveryAttempt(DeliveryChannels.Push, i, DateTimeOffset.UnixEpoch, DeliveryAttempt.RetryLater));
        Assert.Equal(DeliveryAttempt.MaxKept, log.Count);
        Assert.Equal(DeliveryAttempt.MaxKept + 5, log[^1].Attempt);
        var failed = DeliveryAttempt.From(DeliveryChannels.Push, 5, DateTimeOffset.UnixEpoch, ChannelResult.Retry(new string('x', 500)), lastTry: true);
        Assert.Equal(DeliveryAttempt.Failed, failed.Outcome);
        Assert.Equal(DeliveryAttempt.MaxReasonLength, failed.Reason!.Length);
    }
}
