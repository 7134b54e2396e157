using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace CoachFunctions.Hosting.RateLimiting;

/// <summary>Settings <c>RateLimits__RespondPerMinute</c> and <c>RateLimits__FeedbackPerMinute</c>.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    public int RespondPerMinute { get; set; } = 30;
    public int FeedbackPerMinute { get; set; } = 20;
}

/// <summary>
/// Per-user limits on the routes a client could hammer: each user (the token's subject) gets its
/// own fixed one-minute window, so one user's flood never slows another. Over the limit: 429
/// problem details with Retry-After. The counters live in this process: with several instances
/// the effective limit is per instance.
/// </summary>
public static class RateLimits
{
    public const string Respond = "respond";
    public const string Feedback = "feedback";

    /// <summary>Routes limited wherever they are mapped: respond exists, feedback is on its way.</summary>
    private static readonly Dictionary<string, string> PolicyByPostRoute = new(StringComparer.Ordinal)
    {
        ["/api/prompts/{id}/respond"] = Respond,
        ["/api/prompts/{id}/feedback"] = Feedback,
    };

    public static IServiceCollection AddCoachRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>() ?? new RateLimitOptions();
        if (options.RespondPerMinute < 1 || options.FeedbackPerMinute < 1)
            throw new InvalidOperationException("RateLimits__RespondPerMinute and RateLimits__FeedbackPerMinute must be at least 1.");
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(Respond, http => PerUser(http, options.RespondPerMinute));
            o.AddPolicy(Feedback, http => PerUser(http, options.FeedbackPerMinute));
            o.OnRejected = async (context, _) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromMinutes(1);
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests.",
                    detail: $"This route allows a limited number of calls per minute; try again in {seconds} s.").ExecuteAsync(context.HttpContext);
            };
        });
        return services;
    }

    /// <summary>
    /// Puts the named policy on the group's routes listed above, unless the endpoint chose one
    /// itself with <c>.RequireRateLimiting(RateLimits.Feedback)</c>.
    /// </summary>
    public static RouteGroupBuilder WithCoachRateLimits(this RouteGroupBuilder api)
    {
        ((IEndpointConventionBuilder)api).Finally(endpoint =>
        {
            if (endpoint is not RouteEndpointBuilder route || route.RoutePattern.RawText is not { } pattern) return;
            if (!PolicyByPostRoute.TryGetValue(pattern, out var policy)) return;
            if (route.Metadata.OfType<HttpMethodMetadata>().FirstOrDefault()?.HttpMethods.Contains("POST") != true) return;
            if (route.Metadata.OfType<EnableRateLimitingAttribute>().Any() || route.Metadata.OfType<DisableRateLimitingAttribute>().Any()) return;
            route.Metadata.Add(new EnableRateLimitingAttribute(policy));
        });
        return api;
    }

    /// <summary>Whether the endpoint carries a rate-limit policy, or will get one from <see cref="WithCoachRateLimits"/>.</summary>
    public static bool IsLimited(EndpointBuilder endpoint) =>
        endpoint.Metadata.OfType<EnableRateLimitingAttribute>().Any()
        || (endpoint is RouteEndpointBuilder { RoutePattern.RawText: { } pattern } && PolicyByPostRoute.ContainsKey(pattern)
            && endpoint.Metadata.OfType<HttpMethodMetadata>().Any(m => m.HttpMethods.Contains("POST"))
            && !endpoint.Metadata.OfType<DisableRateLimitingAttribute>().Any());

    private static RateLimitPartition<string> PerUser(HttpContext http, int perMinute) =>
        RateLimitPartition.GetFixedWindowLimiter(http.User.FindFirstValue("sub") ?? "", _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = perMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
}
