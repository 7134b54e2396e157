using System.Net;
using System.Text;
using System.Text.Json;
using CoachFunctions.Api;
using CoachFunctions.Coaching;
using CoachFunctions.Storage.Tables;
using CoachFunctions.Tests.EndToEnd;
using CoachFunctions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CoachFunctions.Tests.Api;

/// <summary>
/// Issue 10: a client that retries an answer or a piece of feedback after an unknown outcome sends
/// the same Idempotency-Key and gets the first answer again, never a second write or a 409; the
/// key is per user, a different request under it is 422, and it is forgotten after 24 hours. On the
/// local host and Azurite, on the test's clock.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class IdempotencyTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 11, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private sealed record Setup(AppHost Host, ManualTimeProvider Clock, ApiClient Alice, ApiClient Bob) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Alice.Dispose();
            Bob.Dispose();
            await Host.DisposeAsync();
        }

        public Task<CoachingPrompt> PromptAsync(ApiClient user) =>
            TestData.PromptAsync(Host, user.UserId, PromptTypes.DailyCheckin, createdAt: Clock.GetUtcNow(), expiresAt: Clock.GetUtcNow().AddDays(3));

        /// <summary>The follow-up an answer created is stored as sent in the answer's own transaction (nothing writes it later, so the partition is quiet): check it is.</summary>
        public Task DeliveredAsync(ApiClient user, string answer) =>
            Eventually.GetAsync(async () => (await Host.Services.GetRequiredService<PromptStore>().GetAsync(user.UserId,
                    JsonDocument.Parse(answer).RootElement.GetProperty("followUp").GetProperty("id").GetString()!, CancellationToken.None))?.Prompt.SentAt is null ? null : "sent",
                Wait, "the follow-up to be delivered");
    }

    private static async Task<Setup> StartAsync(Dictionary<string, string?>? settings = null)
    {
        var clock = new ManualTimeProvider(Start);
        var host = await AppHost.StartLocalAsync(await Azurite.SharedAsync(), settings, time: clock);
        var alice = await ApiClient.SignInAsync(host, ApiClient.NewUserId("alice"));
        var bob = await ApiClient.SignInAsync(host, ApiClient.NewUserId("bob"));
        await alice.JsonAsync(HttpMethod.Put, "/api/preferences", TestData.Permissive());
        await bob.JsonAsync(HttpMethod.Put, "/api/preferences", TestData.Permissive());
        return new Setup(host, clock, alice, bob);
    }

    private static Task<HttpResponseMessage> PostAsync(ApiClient user, string path, string body, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (key is not null) request.Headers.TryAddWithoutValidation(IdempotencyKey.Header, key);
        return user.SendAsync(request);
    }

    private static async Task<(HttpStatusCode Status, string Body, bool Replayed)> SendAsync(ApiClient user, string path, string body, string? key)
    {
        var response = await PostAsync(user, path, body, key);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(),
            response.Headers.TryGetValues(IdempotencyKey.ReplayedHeader, out var values) && values.Single() == "true");
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)status, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task A_retry_with_the_same_key_gets_the_first_answer_and_writes_nothing()
    {
        await using var s = await StartAsync();
        var prompt = await s.PromptAsync(s.Alice);
        var path = $"/api/prompts/{prompt.Id}/respond";

        var first = await SendAsync(s.Alice, path, """{"value":"share_plan"}""", "retry-1");
        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.False(first.Replayed);
        await s.DeliveredAsync(s.Alice, first.Body);
        var before = await TestData.PartitionAsync(s.Host, s.Alice.UserId);

        // The same request again, and once more spelled differently (spacing): the same JSON means the same request.
        s.Clock.Advance(TimeSpan.FromHours(23));
        foreach (var body in new[] { """{"value":"share_plan"}""", """{ "value" : "share_plan" }""" })
        {
            var again = await SendAsync(s.Alice, path, body, "retry-1");
            Assert.Equal(HttpStatusCode.OK, again.Status);
            Assert.Equal(first.Body, again.Body);
            Assert.True(again.Replayed);
        }
        Assert.Equal(before, await TestData.PartitionAsync(s.Host, s.Alice.UserId));
        Assert.Single(await TestData.RowsAsync(s.Host, s.Alice.UserId, "interaction_"));

        // Without the key the route is as it was: a second answer is refused.
        await AssertProblemAsync(await PostAsync(s.Alice, path, """{"value":"share_plan"}""", null), HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task The_same_key_for_another_request_is_422_and_writes_nothing()
    {
        await using var s = await StartAsync();
        var prompt = await s.PromptAsync(s.Alice);
        var other = await s.PromptAsync(s.Alice);
        var first = await SendAsync(s.Alice, $"/api/prompts/{prompt.Id}/respond", """{"value":"share_plan"}""", "k");
        Assert.Equal(HttpStatusCode.OK, first.Status);
        await s.DeliveredAsync(s.Alice, first.Body);
        var before = await TestData.PartitionAsync(s.Host, s.Alice.UserId);

        await AssertProblemAsync(await PostAsync(s.Alice, $"/api/prompts/{prompt.Id}/respond", """{"value":"need_encouragement"}""", "k"), HttpStatusCode.UnprocessableEntity);
        await AssertProblemAsync(await PostAsync(s.Alice, $"/api/prompts/{other.Id}/respond", """{"value":"share_plan"}""", "k"), HttpStatusCode.UnprocessableEntity);
        await AssertProblemAsync(await PostAsync(s.Alice, $"/api/prompts/{prompt.Id}/feedback", """{"kind":"like"}""", "k"), HttpStatusCode.UnprocessableEntity);
        Assert.Equal(before, await TestData.PartitionAsync(s.Host, s.Alice.UserId));
        Assert.Equal(PromptStates.Pending, (await s.Alice.JsonAsync(HttpMethod.Get, $"/api/prompts/{other.Id}")).GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_key_belongs_to_its_user()
    {
        await using var s = await StartAsync();
        var alices = await s.PromptAsync(s.Alice);
        var bobs = await s.PromptAsync(s.Bob);
        var alice = await SendAsync(s.Alice, $"/api/prompts/{alices.Id}/respond", """{"value":"share_plan"}""", "shared-key");

        // Bob's same key is his own: a fresh answer to his own prompt, not Alice's answer and not a 422.
        var bob = await SendAsync(s.Bob, $"/api/prompts/{bobs.Id}/respond", """{"value":"share_plan"}""", "shared-key");
        Assert.Equal(HttpStatusCode.OK, bob.Status);
        Assert.False(bob.Replayed);
        Assert.Equal(bobs.Id, JsonDocument.Parse(bob.Body).RootElement.GetProperty("promptId").GetString());
        Assert.Single(await TestData.RowsAsync(s.Host, s.Bob.UserId, "interaction_"));
        // And Bob replaying Alice's exact request finds her prompt missing, as without a key.
        await AssertProblemAsync(await PostAsync(s.Bob, $"/api/prompts/{alices.Id}/respond", """{"value":"share_plan"}""", "alice-only"), HttpStatusCode.NotFound);

        var again = await SendAsync(s.Alice, $"/api/prompts/{alices.Id}/respond", """{"value":"share_plan"}""", "shared-key");
        Assert.Equal(alice.Body, again.Body);
        Assert.True(again.Replayed);
    }

    [Theory]
    [InlineData(256)]
    [InlineData(-1)] // a tab inside
    public async Task A_malformed_key_is_400_and_writes_nothing(int length)
    {
        await using var s = await StartAsync();
        var prompt = await s.PromptAsync(s.Alice);
        var key = length < 0 ? "tab\tinside" : new string('k', length);
        var before = await TestData.PartitionAsync(s.Host, s.Alice.UserId);

        foreach (var (path, body) in new[] { ($"/api/prompts/{prompt.Id}/respond", """{"value":"share_plan"}"""), ($"/api/prompts/{prompt.Id}/feedback", """{"kind":"like"}""") })
        {
            var response = await PostAsync(s.Alice, path, body, key);
            await AssertProblemAsync(response, HttpStatusCode.BadRequest);
            Assert.Contains(IdempotencyKey.Header, await response.Content.ReadAsStringAsync());
        }
        Assert.Equal(before, await TestData.PartitionAsync(s.Host, s.Alice.UserId));

        // The longest key there may be works.
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(s.Alice, $"/api/prompts/{prompt.Id}/respond", """{"value":"share_plan"}""", new string('~', 255))).Status);
    }

    [Theory]
    [InlineData("a", true)]
    [InlineData(" !\"#$%&'()*+,-./0123456789:;<=>?@AZ[\\]^_`az{|}~", true)]
    [InlineData("", false)]
    [InlineData("clé", false)]
    [InlineData("ключ", false)]
    [InlineData("line\nbreak", false)]
    [InlineData("del\u007f", false)]
    [InlineData("nul\0", false)]
    public void Keys_are_1_to_255_printable_ascii_characters(string key, bool valid)
    {
        Assert.Equal(valid, IdempotencyKey.IsValid(key));
        Assert.True(IdempotencyKey.IsValid(new string('x', 255)));
        Assert.False(IdempotencyKey.IsValid(new string('x', 256)));
    }

    [Fact]
    public async Task After_24_hours_a_key_is_new_again()
    {
        await using var s = await StartAsync();
        var first = await s.PromptAsync(s.Alice);
        var second = await s.PromptAsync(s.Alice);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(s.Alice, $"/api/prompts/{first.Id}/respond", """{"value":"share_plan"}""", "daily")).Status);

        s.Clock.Advance(IdempotencyRecord.Lifetime);
        // The old record is ignored: the key now answers a different request, and its record is overwritten.
        var answer = await SendAsync(s.Alice, $"/api/prompts/{second.Id}/respond", """{"value":"need_encouragement"}""", "daily");
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.False(answer.Replayed);
        Assert.Equal(2, (await TestData.RowsAsync(s.Host, s.Alice.UserId, "interaction_")).Count);

        var replay = await SendAsync(s.Alice, $"/api/prompts/{second.Id}/respond", """{"value":"need_encouragement"}""", "daily");
        Assert.Equal(answer.Body, replay.Body);
        Assert.True(replay.Replayed);
        await AssertProblemAsync(await PostAsync(s.Alice, $"/api/prompts/{first.Id}/respond", """{"value":"share_plan"}""", "daily"), HttpStatusCode.UnprocessableEntity);
        Assert.Single(await TestData.RowsAsync(s.Host, s.Alice.UserId, "idem_"));
    }

    [Fact]
    public async Task Concurrent_requests_with_one_key_answer_once_and_all_get_that_answer()
    {
        await using var s = await StartAsync();
        for (var round = 0; round < 3; round++)
        {
            var prompt = await s.PromptAsync(s.Alice);
            var key = $"burst-{round}";
            var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ =>
                SendAsync(s.Alice, $"/api/prompts/{prompt.Id}/respond", """{"value":"share_plan"}""", key)));

            Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
            Assert.Single(answers.Select(a => a.Body).Distinct());
            Assert.Single(answers, a => !a.Replayed);
            var interactions = await TestData.RowsAsync(s.Host, s.Alice.UserId, "interaction_");
            Assert.Single(interactions, i => i.GetString("PromptId") == prompt.Id);
        }
    }

    [Fact]
    public async Task Feedback_with_a_key_is_stored_once_together_with_what_it_distilled()
    {
        await using var s = await StartAsync();
        var prompt = await s.PromptAsync(s.Alice);
        var path = $"/api/prompts/{prompt.Id}/feedback";

        // Four items without a key, so the keyed fifth is the one that distils the learned style.
        for (var i = 0; i < 4; i++)
        {
            s.Clock.Advance(TimeSpan.FromSeconds(1));
            Assert.Equal(HttpStatusCode.Created, (await PostAsync(s.Alice, path, """{"kind":"dislike"}""", null)).StatusCode);
        }
        s.Clock.Advance(TimeSpan.FromSeconds(1));
        var first = await SendAsync(s.Alice, path, """{"kind":"correction","text":"Shorter, please."}""", "fb-1");
        Assert.Equal(HttpStatusCode.Created, first.Status);
        var answer = JsonDocument.Parse(first.Body).RootElement;
        Assert.True(answer.GetProperty("distilled").GetBoolean());
        var before = await TestData.PartitionAsync(s.Host, s.Alice.UserId);

        s.Clock.Advance(TimeSpan.FromMinutes(5));
        var again = await SendAsync(s.Alice, path, """{"kind":"correction","text":"Shorter, please."}""", "fb-1");
        Assert.Equal(HttpStatusCode.Created, again.Status);
        Assert.Equal(first.Body, again.Body);
        Assert.True(again.Replayed);
        Assert.Equal(before, await TestData.PartitionAsync(s.Host, s.Alice.UserId)); // no second item, no second distillation
        Assert.Equal(5, (await TestData.RowsAsync(s.Host, s.Alice.UserId, "feedback_")).Count);
        var learned = Assert.Single(await TestData.RowsAsync(s.Host, s.Alice.UserId, "learned"));
        Assert.Equal(answer.GetProperty("learned").GetProperty("updatedAt").GetDateTimeOffset(), learned.GetDateTimeOffset("DistilledAt"));

        await AssertProblemAsync(await PostAsync(s.Alice, path, """{"kind":"like"}""", "fb-1"), HttpStatusCode.UnprocessableEntity);
        // Without a key, the same feedback twice is two items, as before.
        await PostAsync(s.Alice, path, """{"kind":"like"}""", null);
        await PostAsync(s.Alice, path, """{"kind":"like"}""", null);
        Assert.Equal(7, (await TestData.RowsAsync(s.Host, s.Alice.UserId, "feedback_")).Count);
    }

    [Fact]
    public async Task Concurrent_feedback_with_one_key_is_stored_once()
    {
        await using var s = await StartAsync();
        var prompt = await s.PromptAsync(s.Alice);
        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ =>
            SendAsync(s.Alice, $"/api/prompts/{prompt.Id}/feedback", """{"kind":"like"}""", "fb-burst")));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Created, a.Status));
        Assert.Single(answers.Select(a => a.Body).Distinct());
        Assert.Single(await TestData.RowsAsync(s.Host, s.Alice.UserId, "feedback_"));
    }
}
