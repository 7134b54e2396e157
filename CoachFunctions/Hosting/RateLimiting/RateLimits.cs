using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;

namespace CoachFunctions.Hosting.RateLimiting;

/// <summary>Settings <c>RateLimits__RespondPerMinute</c>, <c>RateLimits__FeedbackPerMinute</c> and <c>RateLimits__WelcomePerMinute</c>.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    public int RespondPerMinute { get; set; } = 30;
    public int FeedbackPerMinute { get; set; } = 20;
    public int WelcomePerMinute { get; set; } = 30;
}

/// <summary>
/// Per-user limits on the routes a client could hammer (a function opts in with
/// <c>[EnableRateLimiting(RateLimits.Respond)]</c>): each user (the token's subject) gets its own
/// fixed one-minute window, so one user's flood never slows another. Over the limit: 429 problem
/// details with Retry-After. The counters live in this process: with several instances the
/// effective limit is per instance.
/// </summary>
public sealed class RateLimits : IAsyncDisposable
{
    public const string Respond = "respond";
    public const string Feedback = "feedback";
    public const string Welcome = "welcome";

    private readonly Dictionary<string, PartitionedRateLimiter<string>> _limiters;

    public RateLimits(RateLimitOptions options)
    {
        if (options.RespondPerMinute < 1 || options.FeedbackPerMinute < 1 || options.WelcomePerMinute < 1)
            throw new InvalidOperationException("RateLimits__RespondPerMinute, RateLimits__FeedbackPerMinute and RateLimits__WelcomePerMinute must be at least 1.");
        _limiters = new Dictionary<string, PartitionedRateLimiter<string>>(StringComparer.Ordinal)
        {
            [Respond] = PerUser(options.RespondPerMinute),
            [Feedback] = PerUser(options.FeedbackPerMinute),
            [Welcome] = PerUser(options.WelcomePerMinute),
        };
    }

    public static IEnumerable<string> Policies => [Respond, Feedback, Welcome];

    /// <summary>Null when the call may go ahead; otherwise the 429 answer.</summary>
    public IResult? TryAcquire(string policy, HttpContext http)
    {
        var limiter = _limiters.GetValueOrDefault(policy) ?? throw new InvalidOperationException($"No rate limit policy '{policy}'.");
        // A fixed window counts the permit when it is taken: holding the lease for the call changes nothing.
        using var lease = limiter.AttemptAcquire(http.User.FindFirstValue("sub") ?? "");
        if (lease.IsAcquired) return null;

        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromMinutes(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests.",
            detail: $"This route allows a limited number of calls per minute; try again in {seconds} s.");
    }

    private static PartitionedRateLimiter<string> PerUser(int perMinute) =>
        PartitionedRateLimiter.Create<string, string>(subject => RateLimitPartition.GetFixedWindowLimiter(subject, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = perMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    public async ValueTask DisposeAsync()
    {
        foreach (var limiter in _limiters.Values) await limiter.DisposeAsync();
    }

    public static RateLimitOptions Options(IConfiguration configuration) =>
        configuration.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>() ?? new RateLimitOptions();
}
