using CoachFunctions.Api;
using CoachFunctions.Channels.WeCom;
using CoachFunctions.Coaching.Channels.WeCom;
using CoachFunctions.Hosting.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Azure.Functions.Worker;

namespace CoachFunctions.Functions.AdminTemplates;

/// <summary>Admin: one message template (the default until one is stored). Only the known names exist.</summary>
public sealed class GetTemplateFunction(WeComStore store)
{
    [Function("GetTemplate")]
    [Authorize(Policy = AuthPolicies.Admin)]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "admin/templates/{name}")] HttpRequest req, string name, CancellationToken ct)
    {
        if (!MessageTemplates.IsKnown(name)) return Problems.NotFound("The template");
        return Results.Ok(TemplateView.From(name, await store.GetTemplateAsync(name, ct)));
    }
}
