using System.Diagnostics.Metrics;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;
using CoachFunctions.Api;
using CoachFunctions.Coaching;
using CoachFunctions.Functions.GeneratePrompt;
using CoachFunctions.Functions.RespondToPrompt;
using CoachFunctions.Storage.Tables;
using CoachFunctions.Telemetry;
using CoachFunctions.Tests.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace CoachFunctions.Tests.Api;

/// <summary>
/// An answer whose prompt changes between its read and its commit: the delivery marking it sent (or
/// the client's ack) changes the row's ETag, so the answer's transaction fails. The answer is still
/// good and is planned again; an answer from elsewhere in between is refused as already answered.
/// The change is made by a policy in front of the answer's first transaction, so the race happens
/// every run.
/// </summary>
public sealed class RespondRaceTests
{
    [Fact]
    public async Task An_answer_racing_the_delivery_mark_is_applied()
    {
        var race = new BeforeFirstBatch();
        var s = await StoreHarness.StartAsync(race);
        var other = await StoreHarness.StartAsync();
        var user = StoreHarness.NewUserId("race");
        var prompt = s.Prompt(user) with { QuickReplies = [new QuickReply("Plan", "share_plan"), new QuickReply("Cheer me on", "need_encouragement")] };
        await s.Prompts.CreateAsync(prompt, default);
        race.Arm(async () =>
        {
            var (stored, etag) = (await other.Prompts.GetAsync(user, prompt.Id, default))!.Value;
            Assert.True(await other.Prompts.TryMarkSentAsync(stored, etag, DeliveryChannels.InApp, s.Time.GetUtcNow(), default));
        });

        var result = await Respond(s, user, prompt.Id, "share_plan");

        Assert.Equal(StatusCodes.Status200OK, Assert.IsAssignableFrom<IStatusCodeHttpResult>(result).StatusCode);
        Assert.True(race.Fired);
        var (answered, _) = (await s.Prompts.GetAsync(user, prompt.Id, default))!.Value;
        Assert.Equal(PromptStates.Responded, answered.State);
        Assert.Equal("share_plan", answered.ResponseValue);
        Assert.NotNull(answered.SentAt); // the delivery's mark is kept
    }

    [Fact]
    public async Task An_answer_racing_another_answer_is_refused_and_changes_nothing()
    {
        var race = new BeforeFirstBatch();
        var s = await StoreHarness.StartAsync(race);
        var other = await StoreHarness.StartAsync();
        var user = StoreHarness.NewUserId("race");
        var prompt = s.Prompt(user) with { QuickReplies = [new QuickReply("Plan", "share_plan"), new QuickReply("Cheer me on", "need_encouragement")] };
        await s.Prompts.CreateAsync(prompt, default);
        race.Arm(async () =>
        {
            var first = await Respond(other, user, prompt.Id, "need_encouragement");
            Assert.Equal(StatusCodes.Status200OK, Assert.IsAssignableFrom<IStatusCodeHttpResult>(first).StatusCode);
        });

        var result = await Respond(s, user, prompt.Id, "share_plan");

        Assert.True(race.Fired);
        var problem = Assert.IsType<ProblemHttpResult>(result);
        Assert.Equal(StatusCodes.Status409Conflict, problem.StatusCode);
        Assert.Contains("already answered", problem.ProblemDetails.Detail);
        var (answered, _) = (await s.Prompts.GetAsync(user, prompt.Id, default))!.Value;
        Assert.Equal("need_encouragement", answered.ResponseValue);
    }

    [Fact]
    public async Task Completing_a_habit_deleted_after_the_summary_was_read_is_refused_and_writes_nothing()
    {
        var race = new BeforeFirstBatch();
        var s = await StoreHarness.StartAsync(race);
        var other = await StoreHarness.StartAsync();
        var user = StoreHarness.NewUserId("race");
        var today = DateOnly.FromDateTime(s.Time.GetUtcNow().UtcDateTime);
        var habit = new Habit(Guid.NewGuid().ToString("N"), "Run", HabitSchedule.Daily, today.AddDays(-10), true, s.Time.GetUtcNow());
        await s.Users.AddHabitAsync(user, habit, default);
        var prompt = s.Prompt(user) with
        {
            Type = PromptTypes.HabitMissed,
            Facts = new CoachFunctions.Coaching.Detectors.DetectionFacts { LocalDate = today.ToString("yyyy-MM-dd"), HabitId = habit.Id, HabitName = habit.Name },
            QuickReplies = [new QuickReply("Done", "complete_now")],
        };
        await s.Prompts.CreateAsync(prompt, default);
        race.Arm(async () =>
        {
            var (_, etag) = (await other.Users.GetHabitAsync(user, habit.Id, default))!.Value;
            Assert.True(await other.Users.TryDeleteHabitAsync(user, habit.Id, etag, default));
        });

        var result = await Respond(s, user, prompt.Id, "complete_now");

        Assert.True(race.Fired);
        var problem = Assert.IsType<ProblemHttpResult>(result);
        Assert.Equal(StatusCodes.Status409Conflict, problem.StatusCode);
        Assert.Contains("no longer exists", problem.ProblemDetails.Detail);
        var (stored, _) = (await s.Prompts.GetAsync(user, prompt.Id, default))!.Value;
        Assert.Equal(PromptStates.Pending, stored.State);
        Assert.Null(await other.Users.GetHabitAsync(user, habit.Id, default)); // not brought back by the guard
        Assert.False((await other.Users.ListCompletionDatesAsync(user, today.AddDays(-30), default)).ContainsKey(habit.Id));
    }

    private static async Task<IResult> Respond(StoreHarness s, string user, string promptId, string value)
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new CoachMetrics(services.GetRequiredService<IMeterFactory>(), new StatsAggregator(s.Time, "test"));
        var function = new RespondToPromptFunction(s.Prompts, s.Snapshots, new DeliveryScheduler(s.Clients, s.Bootstrap),
            new IdempotentRequests(new IdempotencyRecords(s.Clients, s.Bootstrap), s.Time), new ConfigurationBuilder().Build(), s.Time, metrics,
            NullLoggerFactory.Instance);
        var http = new DefaultHttpContext { User = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", user)], "test")) };
        http.Request.Method = "POST";
        http.Request.ContentType = "application/json";
        http.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { value })));
        return await function.Run(http.Request, promptId, default);
    }

    /// <summary>Once armed, runs its action before the next entity group transaction goes out, once.</summary>
    private sealed class BeforeFirstBatch : HttpPipelinePolicy
    {
        private Func<Task>? _action;

        public bool Fired { get; private set; }

        public void Arm(Func<Task> action) => _action = action;

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            throw new NotSupportedException("The app's storage calls are async.");

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            if (message.Request.Uri.Path.EndsWith("/$batch", StringComparison.Ordinal) && Interlocked.Exchange(ref _action, null) is { } action)
            {
                await action();
                Fired = true;
            }
            await ProcessNextAsync(message, pipeline);
        }
    }
}
