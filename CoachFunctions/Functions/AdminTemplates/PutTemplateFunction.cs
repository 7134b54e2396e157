using CoachFunctions.Api;
using CoachFunctions.Channels.WeCom;
using CoachFunctions.Coaching.Channels.WeCom;
using CoachFunctions.Hosting.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Azure.Functions.Worker;

namespace CoachFunctions.Functions.AdminTemplates;

/// <summary>Admin: replace a message template; nothing is stored unless it uses known placeholders only, with balanced braces, within its length.</summary>
public sealed class PutTemplateFunction(WeComStore store, TimeProvider time)
{
    [Function("PutTemplate")]
    [Authorize(Policy = AuthPolicies.Admin)]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "admin/templates/{name}")] HttpRequest req, string name, CancellationToken ct)
    {
        if (!MessageTemplates.IsKnown(name)) return Problems.NotFound("The template");
        var (update, problem) = await JsonBody.ReadAsync<TemplateUpdate>(req, ct);
        if (problem is not null) return problem;
        var errors = MessageTemplates.Validate(name, update!.Text);
        if (errors.Count > 0) return Problems.BadRequest("The template is invalid.", new Dictionary<string, string[]> { ["text"] = [.. errors] });

        var at = time.GetUtcNow();
        await store.SaveTemplateAsync(name, update.Text!, at, ct);
        return Results.Ok(TemplateView.From(name, (update.Text!, at)));
    }
}
