using CoachFunctions.Functions.AckPrompt;
using CoachFunctions.Functions.AdminGeneratePrompt;
using CoachFunctions.Functions.AdminScan;
using CoachFunctions.Functions.AdminStats;
using CoachFunctions.Functions.DismissPrompt;
using CoachFunctions.Functions.DistillLearned;
using CoachFunctions.Functions.EditHabit;
using CoachFunctions.Functions.Events;
using CoachFunctions.Functions.GetPrompt;
using CoachFunctions.Functions.Habits;
using CoachFunctions.Functions.Health;
using CoachFunctions.Functions.LearnedPreferences;
using CoachFunctions.Functions.ListPrompts;
using CoachFunctions.Functions.Negotiate;
using CoachFunctions.Functions.OpenApi;
using CoachFunctions.Functions.Preferences;
using CoachFunctions.Functions.PromptFeedback;
using CoachFunctions.Functions.RecordCompletion;
using CoachFunctions.Functions.RespondToPrompt;
using CoachFunctions.Hosting.RateLimiting;

namespace CoachFunctions.Functions;

/// <summary>
/// The HTTP-triggered functions. Each folder's function.json declares its route for the Functions
/// host, which forwards the request unchanged; here the same routes are served under <c>/api</c>.
/// Every route needs a user token unless it says otherwise. Map methods that return their
/// <see cref="RouteHandlerBuilder"/> let hosting attach policies (respond and feedback: rate limits).
/// </summary>
public static class HttpFunctions
{
    public const string RoutePrefix = "/api";

    public static RouteGroupBuilder MapHttpFunctions(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(RoutePrefix).RequireAuthorization().WithCoachRateLimits().WithApiDocs();
        NegotiateEndpoint.Map(api);
        ListPromptsEndpoint.Map(api);
        GetPromptEndpoint.Map(api);
        RespondToPromptEndpoint.Map(api);
        AckPromptEndpoint.Map(api);
        DismissPromptEndpoint.Map(api);
        PromptFeedbackEndpoint.Map(api);
        PreferencesEndpoint.Map(api);
        LearnedPreferencesEndpoint.Map(api);
        DistillLearnedEndpoint.Map(api);
        HabitsEndpoint.Map(api);
        EditHabitEndpoint.Map(api);
        RecordCompletionEndpoint.Map(api);
        EventsEndpoint.Map(api);
        AdminScanEndpoint.Map(api);
        AdminStatsEndpoint.Map(api);
        AdminGeneratePromptEndpoint.Map(api);
        HealthEndpoint.Map(api);
        app.MapOpenApiDocument(); // outside the group: anonymous
        return api;
    }
}
