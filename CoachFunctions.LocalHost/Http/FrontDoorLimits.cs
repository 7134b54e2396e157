using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using KestrelServerLimits = Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerLimits;

namespace CoachFunctions.LocalHost.Http;

/// <summary>
/// The front door's request limits, answered as problem details. Kestrel's own limits are set well
/// above these (<see cref="ConfigureKestrel"/>) because Kestrel refuses an oversized head with a bare
/// status line before any middleware runs; enforcing the real limits here lets every refusal carry a
/// problem body. The gRPC port (worker messages up to 2 GiB) is left alone.
/// </summary>
internal sealed class FrontDoorLimits(RequestDelegate next, int grpcPort)
{
    // Below the worker's own Kestrel defaults (8 KiB request line, 32 KiB and 100 headers) with room
    // for the headers forwarding adds, so the worker never refuses what the front door let through.
    public const int MaxRequestTargetLength = 4 * 1024;
    public const int MaxRequestHeadersTotalSize = 16 * 1024;
    public const int MaxRequestHeaderCount = 64;

    /// <summary>Kestrel's limits: far enough above ours that a head between the two still reaches us.</summary>
    public static void ConfigureKestrel(KestrelServerLimits limits)
    {
        limits.MaxRequestLineSize = 16 * MaxRequestTargetLength;
        limits.MaxRequestHeadersTotalSize = 8 * MaxRequestHeadersTotalSize;
        limits.MaxRequestHeaderCount = 16 * MaxRequestHeaderCount;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Connection.LocalPort == grpcPort)
        {
            await next(context);
            return;
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = HttpForwarder.MaxRequestBodySize;

        var target = context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget;
        if (target.Length > MaxRequestTargetLength)
        {
            await Problems.WriteAsync(context, StatusCodes.Status414UriTooLong, "Request target too long", $"The limit is {MaxRequestTargetLength} characters.");
            return;
        }
        var (count, size) = (0, 0);
        foreach (var (name, values) in context.Request.Headers)
        {
            foreach (var value in values)
            {
                count++;
                size += name.Length + (value?.Length ?? 0) + 4; // "name: value\r\n"
            }
        }
        if (count > MaxRequestHeaderCount || size > MaxRequestHeadersTotalSize)
        {
            await Problems.WriteAsync(context, StatusCodes.Status431RequestHeaderFieldsTooLarge, "Request headers too large",
                $"The limits are {MaxRequestHeaderCount} headers and {MaxRequestHeadersTotalSize} bytes in all.");
            return;
        }

        try
        {
            await next(context);
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            // A body that breaks its framing or its limit while a function or endpoint reads it.
            await Problems.WriteAsync(context, e.StatusCode, BadRequestTitle(e.StatusCode));
        }
    }

    public static string BadRequestTitle(int status) => status == StatusCodes.Status413PayloadTooLarge
        ? "Request body too large"
        : "Malformed request body";
}
