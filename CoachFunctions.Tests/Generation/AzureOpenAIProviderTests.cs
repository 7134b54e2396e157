using Azure.Core;
using CoachFunctions.Coaching;
using CoachFunctions.Coaching.Detectors;
using CoachFunctions.Coaching.Generation;
using CoachFunctions.Llm;
using CoachFunctions.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CoachFunctions.Tests.Generation;

/// <summary>
/// Provider azure-openai through the real AzureOpenAIClient (Azure.AI.OpenAI 2.1.0 on OpenAI
/// 2.15.0) against the fake server: the URL, query and credentials it really sends, and the
/// generator's fallbacks when that service fails.
/// </summary>
public sealed class AzureOpenAIProviderTests : IAsyncLifetime
{
    private const string ApiKey = "azure-test-key-not-real";
    private const string Deployment = "coach-deployment";
    private const string ChatPath = "/openai/deployments/" + Deployment + "/chat/completions";
    private static readonly DateTimeOffset Now = GenerationTestData.Now;

    private static readonly Detection Missed = GenerationTestData.Missed;

    private FakeChatServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeChatServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private PromptGenerator Generator(Dictionary<string, string?>? extra = null, TokenCredential? credential = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Llm:Provider"] = "azure-openai",
            ["Llm:Endpoint"] = _server.AzureEndpoint.ToString(),
            ["Llm:Model"] = Deployment,
            ["Llm:ApiKey"] = ApiKey,
        };
        foreach (var (k, v) in extra ?? []) settings[k] = v;
        var services = new ServiceCollection().AddLogging();
        if (credential is not null) services.AddKeyedSingleton(LlmServiceCollectionExtensions.TokenCredentialKey, credential);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return services.AddCoachGeneration(configuration).BuildServiceProvider().GetRequiredService<PromptGenerator>();
    }

    private static Task<CoachingPrompt> Generate(PromptGenerator generator) =>
        generator.GenerateAsync(Missed, new UserPreferences { Locale = "en" }, LearnedStyle.None, Now, CancellationToken.None);

    [Fact]
    public async Task A_key_goes_as_the_api_key_header_to_the_deployment_path_with_the_pinned_api_version()
    {
        _server.EnqueueAnswer("Reading time", "Three days off Reading is fine. Ten pages tonight?", model: "gpt-4o-mini-2024-07-18", promptTokens: 321, completionTokens: 23);
        var prompt = await Generate(Generator());

        Assert.Equal("ai", prompt.Strategy);
        Assert.Equal("Three days off Reading is fine. Ten pages tonight?", prompt.Message);
        Assert.Equal(("gpt-4o-mini-2024-07-18", 321, 23, 1), (prompt.Generation.Model, prompt.Generation.PromptTokens, prompt.Generation.CompletionTokens, prompt.Generation.Attempts));
        Assert.True(prompt.Generation.LatencyMs > 0);

        var request = Assert.Single(_server.Requests);
        Assert.Equal(ChatPath, request.Path);
        Assert.Equal("?api-version=2024-10-21", request.Query);
        Assert.Equal(FakeChatServer.Fingerprint(ApiKey), request.Headers["api-key"]);
        Assert.False(request.Headers.ContainsKey("Authorization"));
        Assert.DoesNotContain(request.Headers.Values, v => v.Contains(ApiKey));

        // The body the protocol call sends: structured output, the token cap, both messages.
        var format = request.Body.GetProperty("response_format");
        Assert.Equal("json_schema", format.GetProperty("type").GetString());
        Assert.True(format.GetProperty("json_schema").GetProperty("strict").GetBoolean());
        Assert.Equal(["message", "title"], format.GetProperty("json_schema").GetProperty("schema").GetProperty("required").EnumerateArray().Select(e => e.GetString()!).Order());
        Assert.Equal(400, request.Body.GetProperty("max_tokens").GetInt32());
        Assert.False(request.Body.TryGetProperty("max_completion_tokens", out _));
        Assert.Contains("## Scenario: habit_missed", request.System);
        Assert.Contains("\"habitName\":\"Reading\"", request.User);
    }

    [Fact]
    public async Task Managed_identity_sends_the_credentials_bearer_token_for_the_cognitive_services_scope()
    {
        var credential = new FixedTokenCredential("entra-token-for-tests");
        _server.EnqueueAnswer("Reading time", "Ten pages of Reading tonight would be a good restart.");
        var prompt = await Generate(Generator(new() { ["Llm:ApiKey"] = null, ["Llm:UseManagedIdentity"] = "true" }, credential));

        Assert.Equal("ai", prompt.Strategy);
        var request = Assert.Single(_server.Requests);
        Assert.Equal(ChatPath, request.Path);
        Assert.Equal("?api-version=2024-10-21", request.Query);
        Assert.Equal("Bearer " + FakeChatServer.Fingerprint("entra-token-for-tests"), request.Headers["Authorization"]);
        Assert.False(request.Headers.ContainsKey("api-key"));
        Assert.Equal(["https://cognitiveservices.azure.com/.default"], credential.Scopes.Distinct());
    }

    [Theory]
    [InlineData("openai/v1/")]
    [InlineData("openai/")]
    public async Task The_earlier_v1_endpoint_form_is_trimmed_to_the_resource_root(string suffix)
    {
        _server.EnqueueAnswer("Reading time", "Ten pages of Reading tonight would be a good restart.");
        var prompt = await Generate(Generator(new() { ["Llm:Endpoint"] = new Uri(_server.AzureEndpoint, suffix).ToString() }));

        Assert.Equal("ai", prompt.Strategy);
        Assert.Equal(ChatPath, Assert.Single(_server.Requests).Path);
    }

    [Theory]
    [InlineData(500, FallbackReasons.Error)]
    [InlineData(503, FallbackReasons.Error)]
    [InlineData(429, FallbackReasons.RateLimited)]
    public async Task Service_errors_fall_back_to_the_template_at_once_without_SDK_retries(int status, string reason)
    {
        _server.EnqueueStatus(status);
        _server.EnqueueAnswer("Should not", "be used: the SDK must not retry this status.");
        var prompt = await Generate(Generator());

        Assert.Equal("template", prompt.Strategy);
        Assert.Equal(PromptTemplates.Render(PromptTypes.HabitMissed, "en", Missed.Facts), (prompt.Title, prompt.Message));
        Assert.Equal(reason, prompt.Generation.FallbackReason);
        Assert.Equal(1, prompt.Generation.Attempts);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task A_timeout_falls_back_to_the_template()
    {
        _server.EnqueueDelayedAnswer(TimeSpan.FromSeconds(3), "Too late", "This answer arrives after the budget.");
        var prompt = await Generate(Generator(new() { ["Generation:TimeoutSeconds"] = "1" }));

        Assert.Equal("template", prompt.Strategy);
        Assert.Equal(FallbackReasons.Timeout, prompt.Generation.FallbackReason);
        Assert.Equal(1, prompt.Generation.Attempts);
    }

    [Fact]
    public async Task The_SDK_network_timeout_is_a_timeout_too()
    {
        _server.EnqueueDelayedAnswer(TimeSpan.FromSeconds(3), "Too late", "This answer arrives after the network timeout.");
        var prompt = await Generate(Generator(new() { ["Llm:TimeoutSeconds"] = "0.5", ["Generation:TimeoutSeconds"] = "5" }));

        Assert.Equal(FallbackReasons.Timeout, prompt.Generation.FallbackReason);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task Invalid_output_is_retried_once_then_the_template_serves_with_both_attempts_tokens()
    {
        _server.EnqueueContent("Sure! Here is your message: **keep going**", promptTokens: 100, completionTokens: 10);
        _server.EnqueueContent("not json at all", promptTokens: 100, completionTokens: 12);
        var prompt = await Generate(Generator());

        Assert.Equal("template", prompt.Strategy);
        Assert.Equal(FallbackReasons.InvalidOutput, prompt.Generation.FallbackReason);
        Assert.Equal((2, 200, 22), (prompt.Generation.Attempts, prompt.Generation.PromptTokens, prompt.Generation.CompletionTokens));
        Assert.All(_server.Requests, r => Assert.Equal(ChatPath, r.Path));
    }
}
