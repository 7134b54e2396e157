using CoachFunctions.Llm;

namespace CoachFunctions.Tests.Generation;

/// <summary>Which URL each provider's client is built with, and which endpoints are refused at start-up.</summary>
public sealed class LlmOptionsTests
{
    [Theory]
    [InlineData("https://res.openai.azure.com", "https://res.openai.azure.com/")]
    [InlineData("https://res.openai.azure.com/", "https://res.openai.azure.com/")]
    [InlineData("https://res.openai.azure.com/openai/v1/", "https://res.openai.azure.com/")]
    [InlineData("https://res.openai.azure.com/openai/v1", "https://res.openai.azure.com/")]
    [InlineData("https://res.openai.azure.com/OpenAI/", "https://res.openai.azure.com/")]
    [InlineData("https://gateway.example.com/aoai/openai/v1/", "https://gateway.example.com/aoai/")]
    [InlineData("https://gateway.example.com/aoai", "https://gateway.example.com/aoai/")]
    public void Azure_gets_the_resource_root(string endpoint, string expected)
    {
        var options = new LlmOptions { Provider = "azure-openai", Endpoint = endpoint };
        Assert.Equal(expected, options.ResolvedEndpoint!.ToString());
    }

    [Theory]
    [InlineData("openai-compatible", "http://localhost:11434/v1/")]
    [InlineData("openai-compatible", "http://vllm.internal:8000/openai/v1/")]
    [InlineData("openai", "https://api.openai.com/v1/")]
    public void OpenAI_and_compatible_servers_keep_their_base_URL(string provider, string endpoint)
    {
        var options = new LlmOptions { Provider = provider, Endpoint = endpoint };
        Assert.Equal(endpoint, options.ResolvedEndpoint!.ToString());
    }

    [Fact]
    public void An_azure_host_infers_the_azure_provider()
    {
        Assert.Equal(LlmOptions.AzureOpenAI, new LlmOptions { Endpoint = "https://res.openai.azure.com/" }.ResolvedProvider);
        Assert.Equal(LlmOptions.OpenAICompatible, new LlmOptions { Endpoint = "http://localhost:11434/v1/" }.ResolvedProvider);
        Assert.Equal(LlmOptions.OpenAI, new LlmOptions { ApiKey = "k" }.ResolvedProvider);
    }

    [Fact]
    public void A_deployment_URL_is_refused_for_azure()
    {
        var options = new LlmOptions
        {
            Provider = "azure-openai",
            Endpoint = "https://res.openai.azure.com/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21",
            Model = "gpt-4o",
            ApiKey = "k",
        };
        Assert.Contains(options.Validate(), e => e.Contains("Llm:Endpoint") && e.Contains("resource root"));
        options.Endpoint = "https://res.openai.azure.com/";
        Assert.Empty(options.Validate());
    }
}
