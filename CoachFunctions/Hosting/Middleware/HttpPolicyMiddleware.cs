using System.Security.Claims;
using CoachFunctions.Api;
using CoachFunctions.Hosting.Auth;
using CoachFunctions.Storage;
using CoachFunctions.Hosting.RateLimiting;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace CoachFunctions.Hosting.Middleware;

/// <summary>
/// Everything HTTP functions share, in one place: the bearer token becomes <c>HttpContext.User</c>
/// (401 without a valid one unless the function is <c>[AllowAnonymous]</c>), admin functions need
/// the admin role (403), rate-limited functions count per user (429 with Retry-After), and an
/// exception a function lets escape becomes a 500 problem. Answers are RFC 9457 problem details,
/// returned as the invocation's result so the ASP.NET Core integration writes them as it writes
/// any function's answer.
/// </summary>
public sealed class HttpPolicyMiddleware(UserTokenValidator tokens, AdminRole adminRole, FunctionAccessCatalog catalog, RateLimits limits,
    ILogger<HttpPolicyMiddleware> logger) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        var http = context.GetHttpContext()
                   ?? throw new InvalidOperationException($"{context.FunctionDefinition.Name} is not an HTTP function under the ASP.NET Core integration.");
        var access = catalog.For(context.FunctionDefinition);
        try
        {
            if (await RefuseAsync(http, access, context.CancellationToken) is { } refusal)
            {
                context.GetInvocationResult().Value = refusal;
                return;
            }
            await next(context);
        }
        catch (Exception e) when (!http.RequestAborted.IsCancellationRequested && StorageFaults.IsUnreachable(e))
        {
            // An outage, not a bug: say so at once, without a stack trace per request.
            logger.LogWarning("{Function} answered 503: storage is not reachable ({ExceptionType}).", context.FunctionDefinition.Name, e.GetType().Name);
            context.GetInvocationResult().Value = Problems.StorageUnavailable(http);
        }
        catch (Exception e) when (!http.RequestAborted.IsCancellationRequested)
        {
            // The type and where it was thrown, not its message: messages can quote what the user sent.
            logger.LogError("{Function} failed (invocation {InvocationId}): {ExceptionType} {StackTrace}",
                context.FunctionDefinition.Name, context.InvocationId, e.GetType().FullName, e.StackTrace);
            context.GetInvocationResult().Value = Results.Problem(statusCode: StatusCodes.Status500InternalServerError,
                title: "An error occurred.", detail: "The request could not be completed; try again later.");
        }
    }

    private async Task<IResult?> RefuseAsync(HttpContext http, FunctionAccess access, CancellationToken ct)
    {
        var header = http.Request.Headers.Authorization.ToString();
        if (header.Length > 0)
        {
            var identity = BearerToken.From(http.Request) is { } token ? await tokens.ValidateAsync(token, ct) : null;
            if (identity is not null) http.User = new ClaimsPrincipal(identity);
            else if (!access.Anonymous) return Unauthorized(http);
        }
        if (access.Anonymous) return null;
        if (http.User.Identity?.IsAuthenticated != true) return Unauthorized(http);
        if (access.Admin && !http.User.IsInRole(adminRole.Name))
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden.", detail: "This route needs the admin role.");
        return access.RateLimitPolicy is { } policy ? limits.TryAcquire(policy, http) : null;
    }

    private static IResult Unauthorized(HttpContext http)
    {
        http.Response.Headers.WWWAuthenticate = "Bearer";
        return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Authentication required.",
            detail: "Send a valid bearer token in the Authorization header.");
    }
}
