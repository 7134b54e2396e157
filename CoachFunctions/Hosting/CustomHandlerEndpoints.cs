using System.Text.Json;
using CoachFunctions.Hosting.Invocation;

namespace CoachFunctions.Hosting;

/// <summary>
/// The custom handler side of the Functions host contract: <c>GET /</c> answers at once (the host
/// polls it during start-up), and <c>POST /{FunctionName}</c> runs a timer or queue function.
/// Non-2xx fails the invocation, so the host retries the message and poisons it in the end.
/// </summary>
public static class CustomHandlerEndpoints
{
    public static void MapCustomHandler(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", () => Results.Text("CoachFunctions custom handler")).ExcludeFromDescription();

        app.MapPost("/{functionName:regex(^[A-Za-z][A-Za-z0-9_]*$)}", async (string functionName, HttpRequest http, FunctionInvoker invoker,
            ILogger<FunctionInvoker> logger, CancellationToken ct) =>
        {
            if (!invoker.Exists(functionName))
                return Results.Problem(statusCode: 404, title: "Unknown function.", detail: $"No function named '{functionName}'.");
            InvocationRequest request;
            try
            {
                request = await JsonSerializer.DeserializeAsync<InvocationRequest>(http.Body, EnvelopeOptions, ct)
                          ?? throw new JsonException("empty body");
            }
            catch (JsonException e)
            {
                return Results.Json(new InvocationResult().Log($"Malformed invocation: {e.Message}"), statusCode: 400);
            }
            try
            {
                var result = await invoker.InvokeAsync(functionName, request, ct);
                return Results.Json(result, EnvelopeOptions);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                var invocationId = http.Headers["X-Azure-Functions-InvocationId"].ToString();
                logger.LogError(e, "Function {FunctionName} failed (invocation {InvocationId})", functionName, invocationId);
                return Results.Json(new InvocationResult().Log($"{functionName} failed: {e.GetType().Name}: {e.Message}"), EnvelopeOptions, statusCode: 500);
            }
        }).ExcludeFromDescription();
    }

    /// <summary>Envelope names are pinned PascalCase on the types; values use the app's camelCase JSON.</summary>
    internal static readonly JsonSerializerOptions EnvelopeOptions = CoachJson.Options;
}
