using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace CoachFunctions.LocalHost.Http;

/// <summary>1 MiB request bodies on the front door; the gRPC port (worker messages up to 2 GiB) is left alone.</summary>
internal sealed class FrontDoorBodyLimit(RequestDelegate next, int grpcPort)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.Connection.LocalPort != grpcPort && context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = HttpForwarder.MaxRequestBodySize;
        return next(context);
    }
}
