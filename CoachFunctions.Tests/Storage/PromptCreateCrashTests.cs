using Azure.Core;
using Azure.Core.Pipeline;
using CoachFunctions.Coaching;

namespace CoachFunctions.Tests.Storage;

/// <summary>
/// Issue 9: a worker killed after a prompt's transaction committed but before the summary was
/// refreshed leaves a summary that does not know the prompt (frequency control would not count it).
/// The redelivered detection creates the prompt again, finds the first one, and must refresh then.
/// Here every request after the transaction fails, as the crash leaves it.
/// </summary>
public sealed class PromptCreateCrashTests
{
    [Fact]
    public async Task The_retry_after_a_crash_between_the_transaction_and_the_refresh_brings_the_summary_up_to_date()
    {
        var crash = new CrashAfterBatch();
        var s = await StoreHarness.StartAsync(crash);
        var user = StoreHarness.NewUserId("crash");
        await s.Users.SavePreferencesAsync(user, new UserPreferences(), default);
        var first = s.Prompt(user, dedupeKey: "daily_checkin:2026-03-11");

        crash.Armed = true;
        await Assert.ThrowsAsync<InvalidOperationException>(() => s.Prompts.CreateAsync(first, default));
        crash.Armed = false;
        Assert.NotNull(await s.Prompts.GetAsync(user, first.Id, default));
        Assert.Empty((await s.Summaries.GetAsync(user, default))!.Value.Snapshot.RecentPrompts);

        s.Time.Advance(TimeSpan.FromSeconds(5));
        var (stored, created) = await s.Prompts.CreateAsync(s.Prompt(user, dedupeKey: first.DedupeKey), default);

        Assert.False(created);
        Assert.Equal(first.Id, stored.Id);
        Assert.Equal(first.Id, Assert.Single((await s.Summaries.GetAsync(user, default))!.Value.Snapshot.RecentPrompts).Id);
    }

    /// <summary>Once armed, lets the next entity group transaction through and fails every request after it.</summary>
    private sealed class CrashAfterBatch : HttpPipelinePolicy
    {
        private volatile bool _armed, _crashed;

        public bool Armed
        {
            set
            {
                _armed = value;
                _crashed = false;
            }
        }

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            Check();
            ProcessNext(message, pipeline);
            Passed(message);
        }

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            Check();
            await ProcessNextAsync(message, pipeline);
            Passed(message);
        }

        private void Check()
        {
            if (_armed && _crashed) throw new InvalidOperationException("The worker is gone (test).");
        }

        private void Passed(HttpMessage message)
        {
            if (_armed && message.Request.Uri.Path.EndsWith("/$batch", StringComparison.Ordinal)) _crashed = true;
        }
    }
}
