namespace CoachFunctions.Llm;

/// <summary>
/// Settings section "Llm": which chat-completions service writes prompts. Configured when an
/// Endpoint or an ApiKey is set; otherwise there is no LLM and templates serve.
/// </summary>
public sealed class LlmOptions
{
    public const string Section = "Llm";

    public const string AzureOpenAI = "azure-openai";
    public const string OpenAI = "openai";
    public const string OpenAICompatible = "openai-compatible";

    public static readonly IReadOnlySet<string> Providers = new HashSet<string>(StringComparer.Ordinal) { AzureOpenAI, OpenAI, OpenAICompatible };

    /// <summary>azure-openai | openai | openai-compatible. Unset: azure-openai for *.openai.azure.com, openai-compatible for another Endpoint, openai for a key alone.</summary>
    public string? Provider { get; set; }

    /// <summary>
    /// Azure: the resource root, https://RESOURCE.openai.azure.com/ (AzureOpenAIClient adds
    /// openai/deployments/{Model}/chat/completions?api-version=...). OpenAI and compatible servers:
    /// the base URL chat/completions is appended to, e.g. http://localhost:11434/v1/.
    /// </summary>
    public string? Endpoint { get; set; }

    /// <summary>The model name; for Azure OpenAI the deployment name.</summary>
    public string? Model { get; set; }

    /// <summary>Azure: sent as the <c>api-key</c> header; OpenAI and compatible servers: <c>Authorization: Bearer</c>. Never logged.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Azure only: Entra tokens from DefaultAzureCredential (managed identity in Azure) instead of a key.</summary>
    public bool UseManagedIdentity { get; set; }

    /// <summary>A user-assigned identity's client id for DefaultAzureCredential; unset uses the system-assigned one.</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>The SDK's network timeout for one HTTP request. Generation:TimeoutSeconds bounds a whole attempt.</summary>
    public double TimeoutSeconds { get; set; } = 8;

    /// <summary>Caps the answer: a title and a 200-character message need far fewer tokens.</summary>
    public int MaxOutputTokens { get; set; } = 400;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Endpoint) || !string.IsNullOrWhiteSpace(ApiKey);

    public string ResolvedProvider => !string.IsNullOrWhiteSpace(Provider) ? Provider.Trim().ToLowerInvariant()
        : string.IsNullOrWhiteSpace(Endpoint) ? OpenAI
        : Uri.TryCreate(Endpoint, UriKind.Absolute, out var uri) && uri.Host.EndsWith(".openai.azure.com", StringComparison.OrdinalIgnoreCase) ? AzureOpenAI
        : OpenAICompatible;

    /// <summary>The URL the client is built with; null means OpenAI's default. For Azure the resource root (see <see cref="AzureRoot"/>).</summary>
    public Uri? ResolvedEndpoint
    {
        get
        {
            if (string.IsNullOrWhiteSpace(Endpoint)) return null;
            var uri = new Uri(Endpoint.Trim(), UriKind.Absolute);
            return ResolvedProvider == AzureOpenAI ? AzureRoot(uri) : uri;
        }
    }

    /// <summary>
    /// AzureOpenAIClient 2.1.0 appends openai/deployments/... to whatever it is given, so the
    /// .../openai/v1/ form these settings documented before (for the v1 endpoint) would become
    /// .../openai/v1/openai/deployments/...: it is trimmed to the root. A gateway's own path prefix stays.
    /// </summary>
    internal static Uri AzureRoot(Uri endpoint)
    {
        var path = endpoint.AbsolutePath.TrimEnd('/');
        foreach (var suffix in new[] { "/openai/v1", "/openai" })
            if (path.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)) { path = path[..^suffix.Length]; break; }
        return new UriBuilder(endpoint) { Path = path + "/", Query = "" }.Uri;
    }

    /// <summary>Everything wrong with these settings, each naming the setting. Only meaningful when <see cref="IsConfigured"/>.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        var provider = ResolvedProvider;
        if (!Providers.Contains(provider))
            errors.Add($"Llm:Provider must be one of azure-openai, openai, openai-compatible (was '{Provider}').");
        if (!string.IsNullOrWhiteSpace(Endpoint)
            && !(Uri.TryCreate(Endpoint.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"))
            errors.Add("Llm:Endpoint must be an absolute http(s) URL such as https://RESOURCE.openai.azure.com/.");
        else if (provider == AzureOpenAI && !string.IsNullOrWhiteSpace(Endpoint) && Endpoint.Contains("/deployments/", StringComparison.OrdinalIgnoreCase))
            errors.Add("Llm:Endpoint for azure-openai is the resource root (https://RESOURCE.openai.azure.com/), not a deployment URL: the deployment goes in Llm:Model.");
        if (provider is AzureOpenAI or OpenAICompatible && string.IsNullOrWhiteSpace(Endpoint))
            errors.Add($"Llm:Endpoint is required for provider {provider}.");
        if (string.IsNullOrWhiteSpace(Model))
            errors.Add(provider == AzureOpenAI ? "Llm:Model is required: the Azure OpenAI deployment name." : "Llm:Model is required: the model name, such as gpt-4o-mini.");
        if (provider == OpenAI && string.IsNullOrWhiteSpace(ApiKey))
            errors.Add("Llm:ApiKey is required for provider openai.");
        if (provider == AzureOpenAI && string.IsNullOrWhiteSpace(ApiKey) && !UseManagedIdentity)
            errors.Add("Azure OpenAI needs Llm:ApiKey or Llm:UseManagedIdentity=true.");
        if (provider == AzureOpenAI && !string.IsNullOrWhiteSpace(ApiKey) && UseManagedIdentity)
            errors.Add("Set either Llm:ApiKey or Llm:UseManagedIdentity, not both.");
        if (provider != AzureOpenAI && UseManagedIdentity)
            errors.Add("Llm:UseManagedIdentity works with provider azure-openai only.");
        if (!(TimeoutSeconds > 0 && TimeoutSeconds <= 120))
            errors.Add($"Llm:TimeoutSeconds must be more than 0 and at most 120 (was {TimeoutSeconds}).");
        if (MaxOutputTokens is < 50 or > 4000)
            errors.Add($"Llm:MaxOutputTokens must be between 50 and 4000 (was {MaxOutputTokens}).");
        return errors;
    }
}
