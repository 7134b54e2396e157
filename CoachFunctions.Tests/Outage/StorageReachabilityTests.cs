using Azure;
using CoachFunctions.Storage;
using CoachFunctions.Tests.Infrastructure;

namespace CoachFunctions.Tests.Outage;

/// <summary>The fail-fast rule on the test's clock: a blip is retried, an outage fails at once but for one trial a second.</summary>
public sealed class StorageReachabilityTests
{
    private readonly ManualTimeProvider _clock = new("2026-03-11T12:30:00Z");

    [Fact]
    public void A_single_failure_is_a_blip_requests_still_go_and_health_says_unreachable()
    {
        var r = new StorageReachability(_clock);
        Assert.False(r.Failed());
        Assert.False(r.IsOut);
        Assert.True(r.TryAdmit());
        Assert.True(r.TryAdmit());
        Assert.False(r.ObservedWithin(TimeSpan.FromSeconds(3)));
    }

    [Fact]
    public void Failures_for_a_second_mean_out_then_one_trial_a_second_until_an_answer_restores_everything()
    {
        var r = new StorageReachability(_clock);
        r.Failed();
        _clock.Advance(StorageReachability.OpenAfter);
        Assert.True(r.Failed());
        Assert.True(r.IsOut);

        Assert.True(r.TryAdmit()); // the trial
        Assert.False(r.TryAdmit());
        _clock.Advance(StorageReachability.TrialInterval / 2);
        Assert.False(r.TryAdmit());
        _clock.Advance(StorageReachability.TrialInterval / 2);
        Assert.True(r.TryAdmit());
        Assert.False(r.TryAdmit());

        r.Answered();
        Assert.False(r.IsOut);
        Assert.Null(r.FailingSince);
        Assert.True(r.TryAdmit());
        Assert.True(r.ObservedWithin(TimeSpan.FromSeconds(3)));
    }

    [Fact]
    public void What_is_known_ages_out_so_health_probes_again()
    {
        var r = new StorageReachability(_clock);
        Assert.Null(r.ObservedWithin(TimeSpan.FromSeconds(3)));
        r.Answered();
        _clock.Advance(TimeSpan.FromSeconds(3.1));
        Assert.Null(r.ObservedWithin(TimeSpan.FromSeconds(3)));
    }

    [Fact]
    public void Unreachable_means_no_answer_not_an_error_answer()
    {
        Assert.True(StorageFaults.IsUnreachable(new StorageUnavailableException(null)));
        Assert.True(StorageFaults.IsUnreachable(new RequestFailedException("Connection refused")));
        Assert.True(StorageFaults.IsUnreachable(new AggregateException(new RequestFailedException("refused"), new StorageUnavailableException(null))));
        Assert.False(StorageFaults.IsUnreachable(new RequestFailedException(503, "Server busy")));
        Assert.False(StorageFaults.IsUnreachable(new RequestFailedException(412, "Precondition failed")));
        Assert.False(StorageFaults.IsUnreachable(new AggregateException(new RequestFailedException("refused"), new InvalidOperationException())));
        Assert.False(StorageFaults.IsUnreachable(new InvalidOperationException()));
    }
}
