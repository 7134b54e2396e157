using CoachFunctions.Coaching;
using CoachFunctions.Coaching.Detectors;
using CoachFunctions.Coaching.Generation;
using CoachFunctions.Llm;
using CoachFunctions.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CoachFunctions.Tests.Generation;

/// <summary>
/// The real generator, wired by AddCoachGeneration, with the real OpenAI SDK talking HTTP to a
/// real (fake) chat-completions server: what the service answers decides the prompt.
/// </summary>
public sealed class GenerationIntegrationTests : IAsyncLifetime
{
    private const string ApiKey = "sk-test-not-a-real-key";
    private static readonly DateTimeOffset Now = GenerationTestData.Now;

    private static readonly Detection Missed = GenerationTestData.Missed;

    private FakeChatServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeChatServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private PromptGenerator Generator(Dictionary<string, string?>? extra = null, string? baseUrl = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Llm:Provider"] = "openai-compatible",
            ["Llm:Endpoint"] = baseUrl ?? _server.V1.ToString(),
            ["Llm:Model"] = "coach-model",
            ["Llm:ApiKey"] = ApiKey,
        };
        foreach (var (k, v) in extra ?? []) settings[k] = v;
        return Build(settings).GetRequiredService<PromptGenerator>();
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddCoachGeneration(configuration).BuildServiceProvider();
    }

    private static Task<CoachingPrompt> Generate(PromptGenerator generator, string locale = "en", LearnedStyle? learned = null, Detection? detection = null) =>
        generator.GenerateAsync(detection ?? Missed, new UserPreferences { Locale = locale }, learned ?? LearnedStyle.None, Now, CancellationToken.None);

    [Fact]
    public async Task A_valid_answer_is_used_with_its_model_tokens_and_latency()
    {
        _server.EnqueueAnswer("Reading time", "Three days off Reading is fine. Ten pages tonight?", model: "coach-model-2026", promptTokens: 321, completionTokens: 23);
        var prompt = await Generate(Generator());

        Assert.Equal("ai", prompt.Strategy);
        Assert.Equal("Reading time", prompt.Title);
        Assert.Equal("Three days off Reading is fine. Ten pages tonight?", prompt.Message);
        Assert.Equal(["complete_now", "skip_today", "adjust_habit", "talk_about_challenge"], prompt.QuickReplies.Select(r => r.Value));
        Assert.Equal(PromptIds.Create(Now, Missed.DedupeKey), prompt.Id);
        Assert.Equal(new GenerationInfo { Model = "coach-model-2026", PromptTokens = 321, CompletionTokens = 23, Attempts = 1, LatencyMs = prompt.Generation.LatencyMs }, prompt.Generation);
        Assert.True(prompt.Generation.LatencyMs > 0);

        var request = Assert.Single(_server.Requests);
        Assert.Equal("/v1/chat/completions", request.Path);
        Assert.Equal("coach-model", request.Body.GetProperty("model").GetString());
        var format = request.Body.GetProperty("response_format");
        Assert.Equal("json_schema", format.GetProperty("type").GetString());
        Assert.True(format.GetProperty("json_schema").GetProperty("strict").GetBoolean());
        Assert.Equal(["message", "title"], format.GetProperty("json_schema").GetProperty("schema").GetProperty("required").EnumerateArray().Select(e => e.GetString()!).Order());
        Assert.Contains("## Scenario: habit_missed", request.System);
        Assert.Contains("\"habitName\":\"Reading\"", request.User);
    }

    [Fact]
    public async Task Invalid_output_is_retried_once_then_the_template_serves()
    {
        _server.EnqueueContent("Sure! Here is your message: **keep going**", promptTokens: 100, completionTokens: 10);
        _server.EnqueueAnswer("Title", "```\nstill bad\n```", promptTokens: 100, completionTokens: 12);
        _server.EnqueueAnswer("Never asked for", "A third answer must never be requested.");
        var prompt = await Generate(Generator());

        Assert.Equal(2, _server.Requests.Count);
        Assert.Equal("template", prompt.Strategy);
        Assert.Equal(PromptTemplates.Render(PromptTypes.HabitMissed, "en", Missed.Facts), (prompt.Title, prompt.Message));
        Assert.Equal(FallbackReasons.InvalidOutput, prompt.Generation.FallbackReason);
        Assert.Equal(2, prompt.Generation.Attempts);
        Assert.Equal(200, prompt.Generation.PromptTokens);
        Assert.Equal(22, prompt.Generation.CompletionTokens);
    }

    [Fact]
    public async Task A_valid_retry_is_used()
    {
        _server.EnqueueAnswer("Hi", "short");
        _server.EnqueueAnswer("Reading time", "Ten pages of Reading tonight would be a lovely restart.");
        var prompt = await Generate(Generator());

        Assert.Equal("ai", prompt.Strategy);
        Assert.Equal("Ten pages of Reading tonight would be a lovely restart.", prompt.Message);
        Assert.Equal(2, prompt.Generation.Attempts);
        Assert.Null(prompt.Generation.FallbackReason);
        Assert.Equal(240, prompt.Generation.PromptTokens);
    }

    [Fact]
    public async Task A_timeout_falls_back_to_the_template_without_a_retry()
    {
        _server.EnqueueDelayedAnswer(TimeSpan.FromSeconds(3), "Too late", "This answer arrives after the budget.");
        var prompt = await Generate(Generator(new() { ["Generation:TimeoutSeconds"] = "1" }));

        Assert.Equal("template", prompt.Strategy);
        Assert.Equal(FallbackReasons.Timeout, prompt.Generation.FallbackReason);
        Assert.Equal(1, prompt.Generation.Attempts);
        Assert.Single(_server.Requests);
    }

    [Theory]
    [InlineData(500, FallbackReasons.Error)]
    [InlineData(429, FallbackReasons.RateLimited)]
    public async Task Service_errors_fall_back_at_once_without_SDK_retries(int status, string reason)
    {
        _server.EnqueueStatus(status);
        _server.EnqueueAnswer("Should not", "be used: the SDK must not retry this status.");
        var prompt = await Generate(Generator());

        Assert.Equal("template", prompt.Strategy);
        Assert.Equal(reason, prompt.Generation.FallbackReason);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task Hybrid_sends_the_template_draft_to_improve()
    {
        _server.EnqueueAnswer("Back to Reading", "Three quiet days happen. How about ten pages of Reading tonight?");
        var prompt = await Generate(Generator(new() { ["Generation:Strategy"] = "hybrid" }));

        Assert.Equal("hybrid", prompt.Strategy);
        var draft = PromptTemplates.Render(PromptTypes.HabitMissed, "en", Missed.Facts);
        var user = Assert.Single(_server.Requests).User;
        Assert.Contains("## Draft", user);
        Assert.Contains(draft.Message, user);
    }

    [Fact]
    public async Task A_zh_CN_user_gets_Chinese_text_and_Chinese_quick_replies_from_ai_and_template()
    {
        var detection = Missed with { Facts = Missed.Facts with { HabitName = "跑步" } };
        _server.EnqueueAnswer("一起把跑步找回来", "已经三天没跑步了，没关系。今天慢跑十分钟，好吗？");
        var ai = await Generate(Generator(), "zh-CN", detection: detection);
        Assert.Equal("ai", ai.Strategy);
        Assert.Equal("已经三天没跑步了，没关系。今天慢跑十分钟，好吗？", ai.Message);
        Assert.Equal("现在完成跑步", ai.QuickReplies[0].Text);
        Assert.Contains("Simplified Chinese", Assert.Single(_server.Requests).System);

        var template = await Generate(Generator(new() { ["Generation:Strategy"] = "template" }), "zh-CN", detection: detection);
        Assert.Equal("template", template.Strategy);
        Assert.True(OutputValidator.CjkRatio(template.Message) >= 0.5);
        Assert.Equal("现在完成跑步", template.QuickReplies[0].Text);
        Assert.Single(_server.Requests); // the template strategy never calls the model

        // An English answer for a zh-CN user is invalid output.
        _server.EnqueueAnswer("Running", "Three days without running. A short jog today?");
        _server.EnqueueAnswer("Running", "Still English, still not what a zh-CN user reads.");
        var english = await Generate(Generator(), "zh-CN", detection: detection);
        Assert.Equal(FallbackReasons.InvalidOutput, english.Generation.FallbackReason);
        Assert.Contains("跑步", english.Message);
    }

    [Fact]
    public async Task A_learned_preference_changes_the_request_the_service_sees()
    {
        _server.EnqueueAnswer("Reading", "Ten pages of Reading tonight would be a good restart.");
        _server.EnqueueAnswer("Reading", "Ten pages of Reading tonight.");
        await Generate(Generator());
        await Generate(Generator(), learned: new LearnedStyle { Style = Styles.Concise, Rules = ["Never use exclamation marks"] });

        var (before, after) = (_server.Requests[0].User, _server.Requests[1].User);
        Assert.DoesNotContain("Never use exclamation marks", before);
        Assert.Contains("Preferred style: concise", after);
        var rule = after.IndexOf("Never use exclamation marks", StringComparison.Ordinal);
        Assert.True(after.LastIndexOf(PromptComposer.DataOpen, rule, StringComparison.Ordinal) > after.LastIndexOf(PromptComposer.DataClose, rule, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("openai-compatible", "/ollama/v1/")]
    [InlineData("openai", "/v1/")]
    public async Task OpenAI_and_compatible_servers_get_chat_completions_under_the_base_URL_with_a_bearer_key(string provider, string basePath)
    {
        _server.EnqueueAnswer("Reading time", "Ten pages of Reading tonight would be a good restart.");
        var prompt = await Generate(Generator(new() { ["Llm:Provider"] = provider }, new Uri(_server.BaseAddress, basePath).ToString()));

        Assert.Equal("ai", prompt.Strategy);
        var request = Assert.Single(_server.Requests);
        Assert.Equal(basePath + "chat/completions", request.Path);
        Assert.Equal("", request.Query);
        Assert.Equal("Bearer " + FakeChatServer.Fingerprint(ApiKey), request.Headers["Authorization"]);
        Assert.False(request.Headers.ContainsKey("api-key"));
        Assert.DoesNotContain(request.Headers.Values, v => v.Contains(ApiKey));
    }

    [Fact]
    public async Task A_compatible_server_without_a_key_gets_no_authorization_header()
    {
        _server.EnqueueAnswer("Reading time", "Ten pages of Reading tonight would be a good restart.");
        var prompt = await Generate(Generator(new() { ["Llm:ApiKey"] = null }));

        Assert.Equal("ai", prompt.Strategy);
        Assert.False(Assert.Single(_server.Requests).Headers.ContainsKey("Authorization"));
    }

    [Fact]
    public async Task Without_an_LLM_the_template_serves_with_no_fallback_reason()
    {
        using var none = Build([]);
        Assert.Null(none.GetService<IChatModel>());
        var generator = none.GetRequiredService<PromptGenerator>();
        Assert.Equal("template", generator.ConfiguredStrategy);

        // Asking for ai without an LLM is not a failure: the template is simply what there is.
        using var askedForAi = Build(new() { ["Generation:Strategy"] = "ai" });
        var prompt = await Generate(askedForAi.GetRequiredService<PromptGenerator>());
        Assert.Equal("template", prompt.Strategy);
        Assert.Equal(GenerationInfo.Template, prompt.Generation);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public void Bad_settings_fail_at_start_up_naming_each_setting()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Build(new()
        {
            ["Generation:Strategy"] = "magic",
            ["Llm:Provider"] = "azure-openai",
            ["Llm:Endpoint"] = "not a url",
        }));
        Assert.Contains("Generation:Strategy", e.Message);
        Assert.Contains("Llm:Endpoint", e.Message);
        Assert.Contains("Llm:Model", e.Message);
        Assert.Contains("Llm:ApiKey or Llm:UseManagedIdentity", e.Message);

        var leak = Assert.Throws<InvalidOperationException>(() => Build(new() { ["Llm:ApiKey"] = "sk-secret-value" }));
        Assert.Contains("Llm:Model", leak.Message);
        Assert.DoesNotContain("sk-secret-value", leak.Message);
    }
}
