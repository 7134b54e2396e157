using CoachFunctions.Functions.AdminScan;
using CoachFunctions.Functions.AdminStats;
using CoachFunctions.Functions.GetPrompt;
using CoachFunctions.Functions.Habits;
using CoachFunctions.Functions.Health;
using CoachFunctions.Functions.ListPrompts;
using CoachFunctions.Functions.Negotiate;
using CoachFunctions.Functions.OpenApi;
using CoachFunctions.Functions.Preferences;
using CoachFunctions.Functions.RecordCompletion;
using CoachFunctions.Functions.RespondToPrompt;
using CoachFunctions.Hosting.RateLimiting;

namespace CoachFunctions.Functions;

/// <summary>
/// The HTTP-triggered functions. Each folder's function.json declares its route for the Functions
/// host, which forwards the request unchanged; here the same routes are served under <c>/api</c>.
/// Every route needs a user token unless it says otherwise.
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
        PreferencesEndpoint.Map(api);
        HabitsEndpoint.Map(api);
        RecordCompletionEndpoint.Map(api);
        AdminScanEndpoint.Map(api);
        AdminStatsEndpoint.Map(api);
        HealthEndpoint.Map(api);
        app.MapOpenApiDocument(); // outside the group: anonymous
        return api;
    }
}
