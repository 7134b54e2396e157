using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace CoachFunctions.LocalHost.Http;

/// <summary>RFC 9457 problem details, the only error body this host writes. Details never carry exception text.</summary>
internal static class Problems
{
    public static async Task WriteAsync(HttpContext context, int status, string title, string? detail = null)
    {
        if (context.Response.HasStarted) { context.Abort(); return; }
        context.Response.Clear();
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/problem+json";
        var problem = new Dictionary<string, object?>
        {
            ["type"] = status == StatusCodes.Status431RequestHeaderFieldsTooLarge
                ? "https://www.rfc-editor.org/rfc/rfc6585#section-5"
                : $"https://tools.ietf.org/html/rfc9110#section-15.{(status >= 500 ? "6" : "5")}.{SectionOf(status)}",
            ["title"] = title,
            ["status"] = status,
        };
        if (detail is not null) problem["detail"] = detail;
        problem["traceId"] = context.TraceIdentifier;
        await JsonSerializer.SerializeAsync(context.Response.Body, problem, cancellationToken: context.RequestAborted);
    }

    private static int SectionOf(int status) => status switch
    {
        400 => 1, 401 => 2, 403 => 4, 404 => 5, 405 => 6, 413 => 14, 500 => 1, 502 => 3, 503 => 4, 504 => 5,
        _ => status >= 500 ? status - 499 : status - 399,
    };
}
