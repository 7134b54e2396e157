using CoachFunctions.Api;
using CoachFunctions.Coaching.Welcome;
using CoachFunctions.Hosting.RateLimiting;
using CoachFunctions.Storage.Tables;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Azure.Functions.Worker;

namespace CoachFunctions.Functions.Welcome;

/// <summary>Which page asks, and why: <c>open</c>, <c>timer</c> or <c>operation</c>.</summary>
public sealed record WelcomeRequest(string? Page, string? Trigger);

/// <summary>The line to show, for which page, where it came from (<c>llm</c>, <c>template</c>, <c>cache</c>) and when it was written.</summary>
public sealed record WelcomeView(string Text, string Page, string Source, DateTimeOffset GeneratedAt);

/// <summary>
/// Seed 002's welcome bubble: one short line for the page the user is on, written from the page and
/// the user's recent state (streaks, prompts awaiting an answer, last activity) by the LLM, or from
/// templates without one. Lines are cached per user and page for 30 minutes and the cooldowns are
/// kept per user (60 s for timer triggers, 10 s for operation triggers), all in the user's partition,
/// so every instance enforces the same limits: inside a cooldown the answer is the cached line or
/// 204, never a new generation. Not an activity: asking for a greeting changes nothing the coach judges.
/// </summary>
public sealed class WelcomeFunction(UserSnapshots snapshots, WelcomeStore welcome, WelcomeGenerator generator, TimeProvider time)
{
    /// <summary>A cooldown claim lost to the other trigger kind's claim (same row) is tried once more.</summary>
    private const int ClaimAttempts = 2;

    [Function("Welcome")]
    [EnableRateLimiting(RateLimits.Welcome)]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "welcome")] HttpRequest req, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<WelcomeRequest>(req, ct);
        if (problem is not null) return problem;
        var errors = new Dictionary<string, string[]>();
        if (body!.Page is not { } page || !WelcomePages.All.Contains(page))
            errors["page"] = [$"page must be one of: {string.Join(", ", WelcomePages.All)}."];
        if (body.Trigger is not { } trigger || !WelcomeTriggers.All.Contains(trigger))
            errors["trigger"] = [$"trigger must be one of: {string.Join(", ", WelcomeTriggers.All)}."];
        if (errors.Count > 0) return Problems.BadRequest("The welcome request is invalid.", errors);
        page = body.Page!;
        trigger = body.Trigger!;

        var userId = req.HttpContext.User.Id();
        var now = time.GetUtcNow();
        var snapshot = snapshots.GetAsync(userId, ct);
        var state = welcome.GetAsync(userId, page, ct);
        await Task.WhenAll(snapshot, state);
        var context = WelcomeContext.From(await snapshot, page, now);
        var (cooldowns, etag, line) = await state;

        switch (WelcomePolicy.Decide(trigger, line, cooldowns, context.Locale, now))
        {
            case WelcomeAction.Cached: return Results.Ok(new WelcomeView(line!.Text, page, WelcomePolicy.Cache, line.GeneratedAt));
            case WelcomeAction.Nothing: return Results.NoContent();
        }

        if (WelcomePolicy.NeedsClaim(trigger))
        {
            for (var attempt = 1; ; attempt++)
            {
                if (await welcome.TryClaimAsync(userId, trigger, now, etag, ct)) break;
                // Someone changed the cooldowns since they were read: a request with the same trigger
                // took this one (it generates, this one does not), or one with the other trigger did.
                (cooldowns, etag, line) = await welcome.GetAsync(userId, page, ct);
                if (attempt == ClaimAttempts || WelcomePolicy.InCooldown(trigger, cooldowns, now))
                    return WelcomePolicy.IsFresh(line, context.Locale, now)
                        ? Results.Ok(new WelcomeView(line!.Text, page, WelcomePolicy.Cache, line.GeneratedAt))
                        : Results.NoContent();
            }
        }

        var (text, source) = await generator.WriteAsync(context, ct);
        var written = new WelcomeLine(text, source, now, context.Locale);
        await welcome.SaveAsync(userId, page, written, ct);
        return Results.Ok(new WelcomeView(written.Text, page, written.Source, written.GeneratedAt));
    }
}
