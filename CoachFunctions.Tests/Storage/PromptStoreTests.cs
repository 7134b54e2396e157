using Azure;
using Azure.Data.Tables;
using CoachFunctions.Coaching;
using CoachFunctions.Coaching.Responses;
using CoachFunctions.Storage;
using CoachFunctions.Storage.Tables;

namespace CoachFunctions.Tests.Storage;

/// <summary>
/// PromptStore against Azurite: a prompt and its deduplication marker commit together, every state
/// change is conditional on the ETag it was read with, and listing pages with continuation tokens.
/// </summary>
public sealed class PromptStoreTests
{
    [Fact]
    public async Task Create_stores_the_prompt_with_its_marker_and_refreshes_the_summary()
    {
        var s = await StoreHarness.StartAsync();
        var user = StoreHarness.NewUserId();
        var prompt = s.Prompt(user);

        var (stored, created) = await s.Prompts.CreateAsync(prompt, default);

        Assert.True(created);
        var (read, etag) = (await s.Prompts.GetAsync(user, prompt.Id, default))!.Value;
        Assert.Equal(prompt with { QuickReplies = read.QuickReplies }, read);
        Assert.Equal(prompt.QuickReplies, read.QuickReplies);
        Assert.NotEqual(default, etag);
        Assert.Equal(prompt.Id, (await s.Prompts.FindByDedupeKeyAsync(user, prompt.DedupeKey, default))!.Id);
        var summary = (await s.Summaries.GetAsync(user, default))!.Value.Snapshot;
        Assert.Equal(prompt.Id, Assert.Single(summary.RecentPrompts).Id);
        Assert.Same(prompt, stored);
    }

    [Fact]
    public async Task A_prompt_added_to_the_summary_read_before_costs_two_transactions_and_stores_what_a_rebuild_would()
    {
        var recorder = new RequestRecorder();
        var s = await StoreHarness.StartAsync(recorder);
        var user = StoreHarness.NewUserId();
        var now = s.Time.GetUtcNow();
        await s.Users.AddHabitAsync(user, new Habit("read", "Read", HabitSchedule.Daily, new DateOnly(2026, 3, 1), true, now.AddDays(-10)), default);
        await s.Prompts.CreateAsync(s.Prompt(user, at: now.AddHours(-2)), default);
        var (_, basis) = await s.Snapshots.GetWithBasisAsync(user, default);
        recorder.Clear();

        var prompt = s.Prompt(user);
        var (_, created, etag) = await s.Prompts.CreateAsync(prompt, basis, default);
        Assert.True(created);

        // The prompt with its marker, then the summary's conditional write: the partition is not read again.
        Assert.Equal(["POST", "PUT"], recorder.Attempts.Select(a => a.Method));
        var stored = (await s.Summaries.GetAsync(user, default))!.Value.Snapshot;
        Assert.Equal(prompt.Id, stored.RecentPrompts[0].Id);
        Assert.Equal(SummaryDocument.Serialize(await s.Snapshots.LoadAsync(user, stored.FirstSeenAt, default)), SummaryDocument.Serialize(stored));
        // The ETag returned is the stored row's: a change conditional on it applies without reading the row.
        Assert.Equal((await s.Prompts.GetAsync(user, prompt.Id, default))!.Value.ETag, etag);
        Assert.True(await s.Prompts.TryMarkSentAsync(prompt, etag, "in_app", s.Time.GetUtcNow(), default));
    }

    [Fact]
    public async Task A_prompt_added_to_a_summary_that_changed_since_it_was_read_rebuilds_it_with_both_writes()
    {
        var s = await StoreHarness.StartAsync();
        var user = StoreHarness.NewUserId();
        var now = s.Time.GetUtcNow();
        var today = new DateOnly(2026, 3, 11);
        await s.Users.AddHabitAsync(user, new Habit("read", "Read", HabitSchedule.Daily, today.AddDays(-5), true, now.AddDays(-5)), default);
        var (_, basis) = await s.Snapshots.GetWithBasisAsync(user, default);

        // Another write commits and refreshes the summary in between: the basis is stale.
        Assert.True(await s.Users.TryAddCompletionAsync(user, new HabitCompletion("read", today), now, default));
        var prompt = s.Prompt(user);
        await s.Prompts.CreateAsync(prompt, basis, default);

        var summary = (await s.Summaries.GetAsync(user, default))!.Value.Snapshot;
        Assert.Contains(today, summary.CompletionsOf("read"));
        Assert.Equal(prompt.Id, Assert.Single(summary.RecentPrompts).Id);
    }

    [Fact]
    public async Task A_redelivered_moment_whose_summary_write_was_lost_rebuilds_the_summary()
    {
        var s = await StoreHarness.StartAsync();
        var user = StoreHarness.NewUserId();
        var first = s.Prompt(user, dedupeKey: "daily_checkin:2026-03-11");
        await s.Snapshots.RefreshAsync(user, default); // the user has a summary, as after any earlier write
        var (_, before) = await s.Snapshots.GetWithBasisAsync(user, default);
        await s.Prompts.CreateAsync(first, before, default);
        // The writer stopped after its commit, before its summary write: put the summary back as it was.
        var (_, etag) = (await s.Summaries.GetAsync(user, default))!.Value;
        Assert.True(await s.Summaries.TrySaveAsync(before!.Snapshot, s.Time.GetUtcNow(), etag, default));

        // The detection comes again: the summary read does not list the prompt, so it is planned, and the marker finds the first.
        var (snapshot, basis) = await s.Snapshots.GetWithBasisAsync(user, default);
        Assert.Empty(snapshot.RecentPrompts);
        var (stored, created, _) = await s.Prompts.CreateAsync(s.Prompt(user, dedupeKey: "daily_checkin:2026-03-11"), basis, default);

        Assert.False(created);
        Assert.Equal(first.Id, stored.Id);
        Assert.Equal(first.Id, Assert.Single((await s.Summaries.GetAsync(user, default))!.Value.Snapshot.RecentPrompts).Id);
    }

    [Fact]
    public async Task A_second_prompt_for_the_same_moment_returns_the_first_and_stores_nothing()
    {
        var s = await StoreHarness.StartAsync();
        var user = StoreHarness.NewUserId();
        var first = s.Prompt(user, dedupeKey: "daily_checkin:2026-03-11");
        await s.Prompts.CreateAsync(first, default);
        s.Time.Advance(TimeSpan.FromMinutes(5));

        // A redelivered detection, generated again a little later: another id, the same moment.
        var (stored, created) = await s.Prompts.CreateAsync(s.Prompt(user, dedupeKey: "daily_checkin:2026-03-11"), default);

        Assert.False(created);
        Assert.Equal(first.Id, stored.Id);
        var (items, _) = await s.Prompts.ListAsync(user, null, null, 10, null, default);
        Assert.Equal(first.Id, Assert.Single(items).Id);
    }

    [Fact]
    public async Task A_state_change_with_a_stale_etag_is_refused_and_a_fresh_one_applies()
    {
        var s = await StoreHarness.StartAsync();
        var user = StoreHarness.NewUserId();
        var prompt = s.Prompt(user);
        await s.Prompts.CreateAsync(prompt, default);
        var (read, etag) = (await s.Prompts.GetAsync(user, prompt.Id, default))!.Value;
        var at = s.Time.GetUtcNow();

        Assert.True(await s.Prompts.TryAcknowledgeAsync(read, etag, PromptStates.Delivered, at, default));
        Assert.False(await s.Prompts.TrySetStateAsync(read, etag, PromptStates.Dismissed, "DismissedAt", at, default));

        var (now, fresh) = (await s.Prompts.GetAsync(user, prompt.Id, default))!.Value;
        Assert.Equal(PromptStates.Delivered, now.State);
        Assert.Equal(at, now.DeliveredAt);
        Assert.True(await s.Prompts.TrySetStateAsync(now, fresh, PromptStates.Dismissed, "DismissedAt", at, default));
        Assert.Equal(PromptStates.Dismissed, (await s.Prompts.GetAsync(user, prompt.Id, default))!.Value.Prompt.State);
    }

    [Fact]
    public async Task Acknowledging_or_dismissing_leaves_the_summary_as_it_is_and_expiring_rebuilds_it()
    {
        var s = await StoreHarness.StartAsync();
        var user = StoreHarness.NewUserId();
        var first = s.Prompt(user);
        var second = s.Prompt(user, at: s.Time.GetUtcNow().AddMinutes(-1));
        await s.Prompts.CreateAsync(first, default);
        await s.Prompts.CreateAsync(second, default);
        var summary = (await s.Summaries.GetAsync(user, default))!.Value.ETag;
        var at = s.Time.GetUtcNow();

        // Frequency control cannot tell these from pending: nothing it decides changes, so the summary is not rewritten.
        var (read, etag) = (await s.Prompts.GetAsync(user, first.Id, default))!.Value;
        Assert.True(await s.Prompts.TryAcknowledgeAsync(read, etag, PromptStates.Seen, at, default));
        (read, etag) = (await s.Prompts.GetAsync(user, second.Id, default))!.Value;
        Assert.True(await s.Prompts.TrySetStateAsync(read, etag, PromptStates.Dismissed, "DismissedAt", at, default));
        Assert.Equal(summary, (await s.Summaries.GetAsync(user, default))!.Value.ETag);

        // An expired prompt no longer counts against the limits: that one is rebuilt.
        (read, etag) = (await s.Prompts.GetAsync(user, first.Id, default))!.Value;
        Assert.True(await s.Prompts.TrySetStateAsync(read, etag, PromptStates.Expired, "ExpiredAt", at, default));
        var (snapshot, after) = (await s.Summaries.GetAsync(user, default))!.Value;
        Assert.NotEqual(summary, after);
        Assert.Equal(PromptStates.Expired, snapshot.RecentPrompts.Single(p => p.Id == first.Id).State);
        Assert.Equal(PromptStates.Dismissed, snapshot.RecentPrompts.Single(p => p.Id == second.Id).State);
    }

    [Fact]
    public async Task Marking_a_scheduled_prompt_sent_makes_it_pending_once()
    {
        var s = await StoreHarness.StartAsync();
        var user = StoreHarness.NewUserId();
        var prompt = s.Prompt(user, state: PromptStates.Scheduled);
        await s.Prompts.CreateAsync(prompt, default);
        var (read, etag) = (await s.Prompts.GetAsync(user, prompt.Id, default))!.Value;

        Assert.True(await s.Prompts.TryMarkSentAsync(read, etag, "signalr", s.Time.GetUtcNow(), default));
        Assert.False(await s.Prompts.TryMarkSentAsync(read, etag, "signalr", s.Time.GetUtcNow(), default));

        var sent = (await s.Prompts.GetAsync(user, prompt.Id, default))!.Value.Prompt;
        Assert.Equal(PromptStates.Pending, sent.State);
        Assert.Equal("signalr", sent.Channel);
        Assert.Equal(s.Time.GetUtcNow(), sent.SentAt);
    }

    [Fact]
    public async Task An_answer_against_a_changed_prompt_writes_nothing_at_all()
    {
        var s = await StoreHarness.StartAsync();
        var user = StoreHarness.NewUserId();
        var prompt = s.Prompt(user);
        await s.Prompts.CreateAsync(prompt, default);
        var (read, etag) = (await s.Prompts.GetAsync(user, prompt.Id, default))!.Value;
        Assert.True(await s.Prompts.TryAcknowledgeAsync(read, etag, PromptStates.Seen, s.Time.GetUtcNow(), default));
        var before = await PartitionAsync(s, user);
        var followUp = s.Prompt(user, dedupeKey: $"followup:{prompt.Id}") with { ReplyTo = prompt.Id };
        var plan = new ResponsePlan("complete_now", "Well done", new HabitCompletion("read", new DateOnly(2026, 3, 11)));

        var e = await Assert.ThrowsAsync<TableTransactionFailedException>(() =>
            s.Prompts.ApplyResponseAsync(read, etag, plan, null, followUp, s.Time.GetUtcNow(), default));

        Assert.Equal(412, e.Status);
        Assert.Equal(0, e.FailedTransactionActionIndex);
        Assert.Equal(before, await PartitionAsync(s, user));
    }

    [Fact]
    public async Task An_answer_commits_prompt_interaction_completion_and_follow_up_together()
    {
        var s = await StoreHarness.StartAsync();
        var user = StoreHarness.NewUserId();
        var prompt = s.Prompt(user);
        await s.Prompts.CreateAsync(prompt, default);
        await s.Users.AddHabitAsync(user, new Habit("read", "Read", HabitSchedule.Daily, new DateOnly(2026, 3, 1), true, s.Time.GetUtcNow()), default);
        var (read, etag) = (await s.Prompts.GetAsync(user, prompt.Id, default))!.Value;
        var followUp = s.Prompt(user, dedupeKey: $"followup:{prompt.Id}") with { ReplyTo = prompt.Id };
        var plan = new ResponsePlan("complete_now", "Well done", new HabitCompletion("read", new DateOnly(2026, 3, 11)));

        await s.Prompts.ApplyResponseAsync(read, etag, plan, "done!", followUp, s.Time.GetUtcNow(), default);

        var answered = (await s.Prompts.GetAsync(user, prompt.Id, default))!.Value.Prompt;
        Assert.Equal(PromptStates.Responded, answered.State);
        Assert.Equal("complete_now", answered.ResponseValue);
        Assert.Equal(followUp.Id, (await s.Prompts.FindByDedupeKeyAsync(user, followUp.DedupeKey, default))!.Id);
        var keys = (await PartitionAsync(s, user)).Split('\n').Select(l => l.Split(' ')[0]).ToList();
        Assert.Contains("done_read_2026-03-11", keys);
        Assert.Single(keys, k => k.StartsWith("interaction_", StringComparison.Ordinal));
        Assert.Equal(s.Time.GetUtcNow(), (await s.Summaries.GetAsync(user, default))!.Value.Snapshot.LastConversationAt);
    }

    [Theory]
    [InlineData("complete_now")]
    [InlineData("later")]
    [InlineData("skip_today")]
    public async Task An_answer_applied_to_the_summary_read_before_costs_two_transactions_and_stores_what_a_rebuild_would(string value)
    {
        var recorder = new RequestRecorder();
        var s = await StoreHarness.StartAsync(recorder);
        var user = StoreHarness.NewUserId();
        var now = s.Time.GetUtcNow();
        var today = new DateOnly(2026, 3, 11);
        await s.Users.AddHabitAsync(user, new Habit("read", "Read", HabitSchedule.Daily, today.AddDays(-5), true, now.AddDays(-5)), default);
        Assert.True(await s.Users.TryAddCompletionAsync(user, new HabitCompletion("read", today.AddDays(-1)), now.AddDays(-1), default));
        var prompt = s.Prompt(user, at: now.AddMinutes(-30));
        await s.Prompts.CreateAsync(prompt, default);
        var (read, etag) = (await s.Prompts.GetAsync(user, prompt.Id, default))!.Value;
        var (_, basis) = await s.Snapshots.GetWithBasisAsync(user, default);
        var plan = value switch
        {
            "complete_now" => new ResponsePlan(value, "Well done", new HabitCompletion("read", today)),
            "later" => new ResponsePlan(value, "Later then", null) { SnoozeUntil = now.AddHours(2) },
            _ => new ResponsePlan(value, "A day off happens", null) { Interruption = new HabitInterruption("read", today, "user_skipped") },
        };
        var followUp = s.Prompt(user, dedupeKey: $"followup:{prompt.Id}") with { ReplyTo = prompt.Id };
        recorder.Clear();

        var followUpETag = await s.Prompts.ApplyResponseAsync(read, etag, plan, null, followUp, now, basis, default);

        // The answer's one transaction, then the summary's conditional write.
        Assert.Equal(["POST", "PUT"], recorder.Attempts.Select(a => a.Method));
        var stored = (await s.Summaries.GetAsync(user, default))!.Value.Snapshot;
        Assert.Equal(SummaryDocument.Serialize(await s.Snapshots.LoadAsync(user, stored.FirstSeenAt, default)), SummaryDocument.Serialize(stored));
        Assert.Equal((await s.Prompts.GetAsync(user, followUp.Id, default))!.Value.ETag, followUpETag);
    }

    [Fact]
    public async Task An_answer_to_a_prompt_the_summary_missed_rebuilds_it()
    {
        var s = await StoreHarness.StartAsync();
        var user = StoreHarness.NewUserId();
        await s.Snapshots.RefreshAsync(user, default);
        var (_, before) = await s.Snapshots.GetWithBasisAsync(user, default);
        var prompt = s.Prompt(user, at: s.Time.GetUtcNow().AddMinutes(-30));
        await s.Prompts.CreateAsync(prompt, before, default);
        // Its writer stopped before the summary write: the summary is put back as it was.
        var (_, etag) = (await s.Summaries.GetAsync(user, default))!.Value;
        Assert.True(await s.Summaries.TrySaveAsync(before!.Snapshot, s.Time.GetUtcNow(), etag, default));
        var (read, promptETag) = (await s.Prompts.GetAsync(user, prompt.Id, default))!.Value;
        var (_, basis) = await s.Snapshots.GetWithBasisAsync(user, default);

        var followUp = s.Prompt(user, dedupeKey: $"followup:{prompt.Id}") with { ReplyTo = prompt.Id };
        await s.Prompts.ApplyResponseAsync(read, promptETag, new ResponsePlan("good", "Glad to hear it", null), null, followUp, s.Time.GetUtcNow(), basis, default);

        var summary = (await s.Summaries.GetAsync(user, default))!.Value.Snapshot;
        Assert.Equal(PromptStates.Responded, Assert.Single(summary.RecentPrompts).State);
    }

    [Fact]
    public async Task Completing_a_habit_already_done_that_day_rebuilds_the_summary()
    {
        var s = await StoreHarness.StartAsync();
        var user = StoreHarness.NewUserId();
        var now = s.Time.GetUtcNow();
        var today = new DateOnly(2026, 3, 11);
        await s.Users.AddHabitAsync(user, new Habit("read", "Read", HabitSchedule.Daily, today.AddDays(-5), true, now.AddDays(-5)), default);
        Assert.True(await s.Users.TryAddCompletionAsync(user, new HabitCompletion("read", today), now.AddHours(-3), default));
        var prompt = s.Prompt(user, at: now.AddMinutes(-30));
        await s.Prompts.CreateAsync(prompt, default);
        var (read, etag) = (await s.Prompts.GetAsync(user, prompt.Id, default))!.Value;
        var (_, basis) = await s.Snapshots.GetWithBasisAsync(user, default);

        // The completion row is replaced with a new recorded instant: the old one's activity sample must go, which only a rebuild knows.
        var followUp = s.Prompt(user, dedupeKey: $"followup:{prompt.Id}") with { ReplyTo = prompt.Id };
        await s.Prompts.ApplyResponseAsync(read, etag, new ResponsePlan("complete_now", "Well done", new HabitCompletion("read", today)), null, followUp, now, basis, default);

        var stored = (await s.Summaries.GetAsync(user, default))!.Value.Snapshot;
        Assert.Equal(SummaryDocument.Serialize(await s.Snapshots.LoadAsync(user, stored.FirstSeenAt, default)), SummaryDocument.Serialize(stored));
    }

    [Fact]
    public async Task An_answer_and_its_idempotency_record_commit_together_or_not_at_all()
    {
        var s = await StoreHarness.StartAsync();
        var records = new IdempotencyRecords(s.Clients, s.Bootstrap);
        var user = StoreHarness.NewUserId();
        var prompt = s.Prompt(user);
        await s.Prompts.CreateAsync(prompt, default);
        await s.Users.AddHabitAsync(user, new Habit("read", "Read", HabitSchedule.Daily, new DateOnly(2026, 3, 1), true, s.Time.GetUtcNow()), default);
        var (read, etag) = (await s.Prompts.GetAsync(user, prompt.Id, default))!.Value;
        var followUp = s.Prompt(user, dedupeKey: $"followup:{prompt.Id}") with { ReplyTo = prompt.Id };
        var plan = new ResponsePlan("complete_now", "Well done", new HabitCompletion("read", new DateOnly(2026, 3, 11)));
        var record = new IdempotencyRecord("fingerprint", 200, "{\"ok\":true}", s.Time.GetUtcNow());

        // Another request's record under the same key got there first: the answer is not stored either.
        await s.Clients.Table(StorageNames.UserDataTable).SubmitInOnePartitionAsync([IdempotencyRecords.Save(user, "key-1", record with { Fingerprint = "other" }, null)], default);
        var before = await PartitionAsync(s, user);
        var e = await Assert.ThrowsAsync<TableTransactionFailedException>(() =>
            s.Prompts.ApplyResponseAsync(read, etag, plan, null, followUp, s.Time.GetUtcNow(), default, IdempotencyRecords.Save(user, "key-1", record, null)));
        Assert.Equal(409, e.Status);
        Assert.Equal(before, await PartitionAsync(s, user));

        // A new key: the answer and its record are both there.
        await s.Prompts.ApplyResponseAsync(read, etag, plan, null, followUp, s.Time.GetUtcNow(), default, IdempotencyRecords.Save(user, "key-2", record, null));
        Assert.Equal(PromptStates.Responded, (await s.Prompts.GetAsync(user, prompt.Id, default))!.Value.Prompt.State);
        Assert.Equal(record, (await records.GetAsync(user, "key-2", default))!.Value.Record);
        Assert.Null(await records.GetAsync(StoreHarness.NewUserId(), "key-2", default)); // another user's partition has no such key
    }

    [Fact]
    public async Task An_expired_record_is_replaced_only_with_the_etag_it_was_read_with()
    {
        var s = await StoreHarness.StartAsync();
        var records = new IdempotencyRecords(s.Clients, s.Bootstrap);
        var table = s.Clients.Table(StorageNames.UserDataTable);
        var user = StoreHarness.NewUserId();
        var old = new IdempotencyRecord("first", 200, "{}", s.Time.GetUtcNow());
        await table.SubmitInOnePartitionAsync([IdempotencyRecords.Save(user, "k", old, null)], default);
        var (_, etag) = (await records.GetAsync(user, "k", default))!.Value;
        s.Time.Advance(IdempotencyRecord.Lifetime);
        Assert.False(old.IsFreshAt(s.Time.GetUtcNow()));

        var second = old with { Fingerprint = "second", CreatedAt = s.Time.GetUtcNow() };
        await table.SubmitInOnePartitionAsync([IdempotencyRecords.Save(user, "k", second, etag)], default);
        // A racer that read the same expired record loses: its replace is conditional on the old ETag.
        var e = await Assert.ThrowsAsync<TableTransactionFailedException>(() =>
            table.SubmitInOnePartitionAsync([IdempotencyRecords.Save(user, "k", old with { Fingerprint = "third" }, etag)], default));
        Assert.Equal(412, e.Status);
        Assert.Equal("second", (await records.GetAsync(user, "k", default))!.Value.Record.Fingerprint);
    }

    [Fact]
    public async Task Listing_pages_newest_first_with_continuation_tokens_until_the_last_page()
    {
        var s = await StoreHarness.StartAsync();
        var user = StoreHarness.NewUserId();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var prompt = s.Prompt(user);
            await s.Prompts.CreateAsync(prompt, default);
            ids.Add(prompt.Id);
            s.Time.Advance(TimeSpan.FromMinutes(10));
        }

        var pages = new List<IReadOnlyList<CoachingPrompt>>();
        string? token = null;
        do
        {
            (var items, token) = await s.Prompts.ListAsync(user, null, null, 2, token, default);
            pages.Add(items);
        }
        while (token is not null && pages.Count < 10);

        Assert.Equal([2, 2, 1], pages.Select(p => p.Count));
        ids.Reverse();
        Assert.Equal(ids, pages.SelectMany(p => p).Select(p => p.Id));
    }

    [Fact]
    public async Task Listing_filters_on_state_and_creation_instant()
    {
        var s = await StoreHarness.StartAsync();
        var user = StoreHarness.NewUserId();
        var old = s.Prompt(user, at: StoreHarness.Start.AddDays(-2));
        var scheduled = s.Prompt(user, state: PromptStates.Scheduled);
        var pending = s.Prompt(user, at: StoreHarness.Start.AddMinutes(1));
        foreach (var p in new[] { old, scheduled, pending }) await s.Prompts.CreateAsync(p, default);

        var since = (await s.Prompts.ListAsync(user, null, StoreHarness.Start, 10, null, default)).Items;
        var pendingOnly = (await s.Prompts.ListAsync(user, [PromptStates.Pending], null, 10, null, default)).Items;
        var either = (await s.Prompts.ListAsync(user, [PromptStates.Pending, PromptStates.Scheduled], StoreHarness.Start, 10, null, default)).Items;

        Assert.Equal([pending.Id, scheduled.Id], since.Select(p => p.Id));
        Assert.Equal([pending.Id, old.Id], pendingOnly.Select(p => p.Id));
        Assert.Equal([pending.Id, scheduled.Id], either.Select(p => p.Id));
    }

    [Theory]
    [InlineData("o'brien")]
    [InlineData("x' or PartitionKey ne 'x")]
    public async Task Quotes_in_a_user_id_or_a_state_never_reach_another_users_rows(string hostile)
    {
        var s = await StoreHarness.StartAsync();
        var other = StoreHarness.NewUserId();
        await s.Prompts.CreateAsync(s.Prompt(other), default);
        var user = $"{hostile}-{Guid.NewGuid():N}";
        var mine = s.Prompt(user);
        await s.Prompts.CreateAsync(mine, default);

        var listed = (await s.Prompts.ListAsync(user, null, null, 100, null, default)).Items;
        var byState = (await s.Prompts.ListAsync(user, [$"{PromptStates.Pending}' or State ne '"], null, 100, null, default)).Items;

        Assert.Equal(mine.Id, Assert.Single(listed).Id);
        Assert.Empty(byState);
    }

    /// <summary>Every row of the user's partition with its ETag: any write at all changes this.</summary>
    internal static async Task<string> PartitionAsync(StoreHarness s, string userId)
    {
        var rows = new List<string>();
        await foreach (var e in s.Clients.Table(StorageNames.UserDataTable).QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {userId}")))
            rows.Add($"{e.RowKey} {e.ETag}");
        return string.Join("\n", rows.Order(StringComparer.Ordinal));
    }
}
