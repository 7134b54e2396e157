using CoachFunctions.Api;
using CoachFunctions.Coaching;
using CoachFunctions.Storage.Tables;

namespace CoachFunctions.Functions.Preferences;

/// <summary>Fields the caller may set; omitted fields keep their current value.</summary>
public sealed record PreferencesUpdate(string? TimeZone, string? Locale, string? PreferredTime, IReadOnlyList<string>? EnabledTypes);

public sealed record PreferencesView(string TimeZone, string Locale, string PreferredTime, IReadOnlyList<string> EnabledTypes)
{
    public static PreferencesView From(UserPreferences p) => new(p.TimeZone, p.Locale, p.PreferredTime.ToString("HH:mm"), p.EnabledTypes);
}

/// <summary>The caller's coaching preferences: defaults until set, every field validated before anything is saved.</summary>
public static class PreferencesEndpoint
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/preferences", async (HttpContext http, UserDataStore store, CancellationToken ct) =>
            Results.Ok(PreferencesView.From(await store.GetPreferencesAsync(http.User.Id(), ct)))).WithName("GetPreferences");

        api.MapPut("/preferences", async (HttpContext http, UserDataStore store, CancellationToken ct) =>
        {
            var (update, problem) = await JsonBody.ReadAsync<PreferencesUpdate>(http.Request, ct);
            if (problem is not null) return problem;
            var errors = Validate(update!);
            if (errors.Count > 0) return Problems.BadRequest("Some preferences are invalid.", errors);

            var userId = http.User.Id();
            var current = await store.GetPreferencesAsync(userId, ct);
            var next = current with
            {
                TimeZone = update!.TimeZone ?? current.TimeZone,
                Locale = update.Locale is null ? current.Locale : UserPreferences.SupportedLocales.First(l => string.Equals(l, update.Locale, StringComparison.OrdinalIgnoreCase)),
                PreferredTime = update.PreferredTime is null ? current.PreferredTime : TimeOnly.ParseExact(update.PreferredTime, "HH:mm"),
                EnabledTypes = update.EnabledTypes?.Distinct().ToList() ?? current.EnabledTypes,
            };
            await store.SavePreferencesAsync(userId, next, ct);
            return Results.Ok(PreferencesView.From(next));
        }).WithName("PutPreferences");
    }

    private static Dictionary<string, string[]> Validate(PreferencesUpdate u)
    {
        var errors = new Dictionary<string, string[]>();
        if (u.TimeZone is not null && !UserPreferences.IsKnownTimeZone(u.TimeZone))
            errors["timeZone"] = ["Use an IANA time zone id such as Europe/Berlin or Asia/Shanghai."];
        if (u.Locale is not null && !UserPreferences.SupportedLocales.Contains(u.Locale, StringComparer.OrdinalIgnoreCase))
            errors["locale"] = [$"Supported locales: {string.Join(", ", UserPreferences.SupportedLocales)}."];
        if (u.PreferredTime is not null && !TimeOnly.TryParseExact(u.PreferredTime, "HH:mm", out _))
            errors["preferredTime"] = ["Use a 24-hour HH:mm time such as 08:30."];
        if (u.EnabledTypes is not null && u.EnabledTypes.FirstOrDefault(t => t is null || !PromptTypes.All.Contains(t)) is { } bad || u.EnabledTypes?.Contains(null!) == true)
            errors["enabledTypes"] = [$"Known prompt types: {string.Join(", ", PromptTypes.All)}."];
        return errors;
    }
}
