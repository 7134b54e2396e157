namespace CoachFunctions.Coaching.Generation;

/// <summary>
/// Settings section "Generation" (spec §3): which strategy writes prompts, the output limits the
/// validator enforces and the time one LLM attempt may take.
/// </summary>
public sealed class GenerationOptions
{
    public const string Section = "Generation";

    public const string Template = "template";
    public const string Ai = "ai";
    public const string Hybrid = "hybrid";

    public static readonly IReadOnlySet<string> Strategies = new HashSet<string>(StringComparer.Ordinal) { Template, Ai, Hybrid };

    /// <summary>template | ai | hybrid. Unset: ai when an LLM is configured, else template.</summary>
    public string? Strategy { get; set; }

    /// <summary>Message length bounds, counted in text elements (what a reader sees as characters).</summary>
    public int MinLength { get; set; } = 10;
    public int MaxLength { get; set; } = 200;

    /// <summary>Hosts (and their subdomains) the model may mention; every other URL or domain is invalid output.</summary>
    public List<string> AllowedUrlHosts { get; set; } = [];

    /// <summary>The budget of one LLM attempt, end to end (request, wait, answer).</summary>
    public double TimeoutSeconds { get; set; } = 8;

    public TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds);

    /// <summary>Everything wrong with these settings, each message naming the setting.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Strategy is not null && !Strategies.Contains(Strategy))
            errors.Add($"Generation:Strategy must be one of template, ai, hybrid (was '{Strategy}').");
        if (MinLength < 1)
            errors.Add($"Generation:MinLength must be at least 1 (was {MinLength}).");
        if (MaxLength < MinLength)
            errors.Add($"Generation:MaxLength must be at least Generation:MinLength ({MinLength}) (was {MaxLength}).");
        if (MaxLength > 2000)
            errors.Add($"Generation:MaxLength must be at most 2000: prompts are notifications (was {MaxLength}).");
        if (!(TimeoutSeconds > 0 && TimeoutSeconds <= 120))
            errors.Add($"Generation:TimeoutSeconds must be more than 0 and at most 120 (was {TimeoutSeconds}).");
        foreach (var host in AllowedUrlHosts)
            if (string.IsNullOrWhiteSpace(host) || host.Contains('/') || host.Contains(':') || host.Contains(' '))
                errors.Add($"Generation:AllowedUrlHosts entries must be bare host names such as example.com (was '{host}').");
        return errors;
    }
}
