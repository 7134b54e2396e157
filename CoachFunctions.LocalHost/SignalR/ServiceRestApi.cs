using System.Text.Json;
using CoachFunctions.LocalHost.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;

namespace CoachFunctions.LocalHost.SignalR;

/// <summary>
/// The Service's data-plane REST API in Serverless mode (the routes this app uses, with the Service's
/// status codes): sends to everyone, a user, a group or a connection (202), user and connection
/// existence (200/404), group membership, and :generateToken. Every call needs a bearer token signed
/// with the access key whose audience is the request URL without query and trailing slash.
/// </summary>
internal static class ServiceRestApi
{
    public const long MaxBodySize = 1024 * 1024;

    /// <summary>Before the function routes: a function cannot shadow the Service's API.</summary>
    public const int Order = -100;

    public static void MapSignalRServiceRest(this IEndpointRouteBuilder app)
    {
        var hubs = app.MapGroup("/api/hubs/{hub}").AddEndpointFilter(AuthorizeAsync);
        hubs.MapPost("/:send", (string hub, HttpContext http, IHubContext<ClientHub> clients) =>
            SendAsync(http, body => clients.Clients.Group(HubNames.AllKey(hub)).SendCoreAsync(body.Target, body.Arguments, http.RequestAborted))).WithOrder(Order);
        hubs.MapPost("/users/{userId}/:send", (string hub, string userId, HttpContext http, IHubContext<ClientHub> clients) =>
            SendAsync(http, body => clients.Clients.User(HubNames.UserKey(hub, userId)).SendCoreAsync(body.Target, body.Arguments, http.RequestAborted))).WithOrder(Order);
        hubs.MapPost("/groups/{group}/:send", (string hub, string group, HttpContext http, IHubContext<ClientHub> clients) =>
            SendAsync(http, body => clients.Clients.Group(HubNames.GroupKey(hub, group)).SendCoreAsync(body.Target, body.Arguments, http.RequestAborted))).WithOrder(Order);
        hubs.MapPost("/connections/{connectionId}/:send", (string hub, string connectionId, HttpContext http, IHubContext<ClientHub> clients, ClientConnections connections) =>
            SendAsync(http, body => connections.HasConnection(hub, connectionId)
                ? clients.Clients.Client(connectionId).SendCoreAsync(body.Target, body.Arguments, http.RequestAborted)
                : Task.CompletedTask)).WithOrder(Order);

        hubs.MapMethods("/users/{userId}", ["HEAD", "GET"], (string hub, string userId, ClientConnections connections) =>
            connections.HasUser(hub, userId) ? Results.Ok() : Results.NotFound()).WithOrder(Order);
        hubs.MapMethods("/connections/{connectionId}", ["HEAD", "GET"], (string hub, string connectionId, ClientConnections connections) =>
            connections.HasConnection(hub, connectionId) ? Results.Ok() : Results.NotFound()).WithOrder(Order);

        hubs.MapPut("/groups/{group}/connections/{connectionId}", async (string hub, string group, string connectionId, ClientConnections connections, IHubContext<ClientHub> clients, CancellationToken ct) =>
        {
            if (!connections.HasConnection(hub, connectionId)) return Results.NotFound();
            await clients.Groups.AddToGroupAsync(connectionId, HubNames.GroupKey(hub, group), ct);
            return Results.Ok();
        }).WithOrder(Order);
        hubs.MapDelete("/groups/{group}/connections/{connectionId}", async (string hub, string group, string connectionId, ClientConnections connections, IHubContext<ClientHub> clients, CancellationToken ct) =>
        {
            if (!connections.HasConnection(hub, connectionId)) return Results.NotFound();
            await clients.Groups.RemoveFromGroupAsync(connectionId, HubNames.GroupKey(hub, group), ct);
            return Results.Ok();
        }).WithOrder(Order);

        hubs.MapPost("/:generateToken", (string hub, string? userId, int? minutesToExpire, ServiceTokens tokens) =>
        {
            var minutes = minutesToExpire ?? 60;
            if (minutes is < 1 or > 1440) return Results.Problem(statusCode: 400, title: "minutesToExpire must be between 1 and 1440.");
            return Results.Json(new { token = tokens.MintClient(hub, userId, TimeSpan.FromMinutes(minutes)) });
        }).WithOrder(Order);
    }

    /// <summary>The audiences a REST token may name: the URL the caller used, or the configured endpoint with the same path.</summary>
    public static IReadOnlyList<string> Audiences(HttpRequest request, SignalRServiceSettings service)
    {
        var path = request.PathBase.Add(request.Path).ToUriComponent().TrimEnd('/');
        return [$"{request.Scheme}://{request.Host.ToUriComponent()}{path}", $"{service.Endpoint}{path}"];
    }

    private static async ValueTask<object?> AuthorizeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.GetRouteValue("hub") is not string hub || !HubNames.IsValid(hub))
            return Results.Problem(statusCode: 400, title: "Invalid hub name.");

        var header = http.Request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : "";
        var tokens = http.RequestServices.GetRequiredService<ServiceTokens>();
        var service = http.RequestServices.GetRequiredService<SignalRServiceSettings>();
        if (token.Length == 0 || !await tokens.ValidateRestAsync(token, Audiences(http.Request, service)))
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return Results.Problem(statusCode: 401, title: "The access token is missing, expired, or not signed for this URL.");
        }
        return await next(context);
    }

    private static async Task<IResult> SendAsync(HttpContext http, Func<SendBody, Task> send)
    {
        if (http.Request.ContentLength > MaxBodySize) return Results.Problem(statusCode: 413, title: $"The body is larger than {MaxBodySize} bytes.");

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
        {
            if (buffer.Length + read > MaxBodySize) return Results.Problem(statusCode: 413, title: $"The body is larger than {MaxBodySize} bytes.");
            buffer.Write(chunk, 0, read);
        }

        SendBody body;
        try
        {
            using var document = JsonDocument.Parse(buffer.ToArray());
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("target", out var target) || target.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(target.GetString()))
                return Results.Problem(statusCode: 400, title: "The body must be {\"target\": \"name\", \"arguments\": [...]}.");
            var arguments = root.TryGetProperty("arguments", out var args) && args.ValueKind == JsonValueKind.Array
                ? args.EnumerateArray().Select(a => (object?)a.Clone()).ToArray()
                : [];
            body = new SendBody(target.GetString()!, arguments);
        }
        catch (JsonException)
        {
            return Results.Problem(statusCode: 400, title: "The body is not JSON.");
        }

        await send(body);
        return Results.Accepted();
    }

    private sealed record SendBody(string Target, object?[] Arguments);
}
