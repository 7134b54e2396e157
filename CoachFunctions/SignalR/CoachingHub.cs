namespace CoachFunctions.SignalR;

/// <summary>
/// The one SignalR hub, served by SignalR Service in Serverless mode: clients only listen, and
/// messages reach users through <see cref="SignalRRestClient"/>.
/// </summary>
public static class CoachingHub
{
    public const string Name = "coaching";

    /// <summary>The client method a prompt is delivered to.</summary>
    public const string PromptTarget = "coachingPrompt";
}
