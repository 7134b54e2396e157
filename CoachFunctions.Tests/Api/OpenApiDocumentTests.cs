using System.Text.Json;
using CoachFunctions.Functions.OpenApi;
using CoachFunctions.Tests.Infrastructure;
using Microsoft.Azure.Functions.Worker.Core.FunctionMetadata;
using Microsoft.Extensions.DependencyInjection;

namespace CoachFunctions.Tests.Api;

/// <summary>The OpenAPI document describes every HTTP function the worker serves, and is served anonymously.</summary>
[Collection(LocalHostCollection.Name)]
public sealed class OpenApiDocumentTests
{
    private const string DocumentRoute = "/api/openapi.json";

    [Fact]
    public async Task Every_served_api_route_is_in_the_document_with_summary_responses_and_security()
    {
        var doc = JsonDocument.Parse(OpenApiDocument.Text.Value).RootElement;
        Assert.StartsWith("3.", doc.GetProperty("openapi").GetString());
        var scheme = doc.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal("http", scheme.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());

        // What is served: the HTTP triggers in the worker's function metadata (what the host routes by).
        using var worker = InProcessWorker.Build(new Dictionary<string, string?> { ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true", ["Auth:SigningKey"] = TestKeys.SigningKey });
        var metadata = await worker.Services.GetRequiredService<IFunctionMetadataProvider>().GetFunctionMetadataAsync(InProcessWorker.AppDirectory);
        var served = metadata
            .Select(f => (f.Name!, Trigger: f.RawBindings!.Select(b => JsonDocument.Parse(b).RootElement).SingleOrDefault(b => b.GetProperty("type").GetString() == "httpTrigger")))
            .Where(f => f.Trigger.ValueKind == JsonValueKind.Object)
            .SelectMany(f => f.Trigger.GetProperty("methods").EnumerateArray().Select(m => (Function: f.Item1, Path: "/api/" + f.Trigger.GetProperty("route").GetString(), Method: m.GetString()!.ToUpperInvariant())))
            .Where(r => r.Path != DocumentRoute) // the document need not describe itself
            .ToList();
        Assert.True(served.Count >= 21);
        var paths = doc.GetProperty("paths");
        foreach (var (function, path, method) in served)
        {
            var where = $"{method} {path}";
            Assert.True(paths.TryGetProperty(path, out var item), $"{where} is not in the document");
            Assert.True(item.TryGetProperty(method.ToLowerInvariant(), out var operation), $"{where} is not in the document");
            Assert.Equal(function, operation.GetProperty("operationId").GetString());
            Assert.False(string.IsNullOrWhiteSpace(operation.TryGetProperty("summary", out var s) ? s.GetString() : null), $"{where} has no summary");

            var responses = operation.GetProperty("responses").EnumerateObject().ToList();
            Assert.True(responses.Any(r => r.Name.StartsWith('2')), $"{where} lists no success response");
            Assert.True(responses.Any(r => r.Value.TryGetProperty("content", out var c) && c.TryGetProperty("application/problem+json", out _)),
                $"{where} lists no problem details response");

            var needsToken = !ApiRoutes.All.Single(r => r.Function == function).Access.Anonymous;
            Assert.Equal(needsToken, operation.TryGetProperty("security", out var security) && security.GetArrayLength() > 0);
            if (needsToken)
            {
                Assert.True(security[0].TryGetProperty("Bearer", out _), $"{where} does not name the bearer scheme");
                Assert.Contains(responses, r => r.Name == "401");
            }
            // WeCom's callback posts XML; the link route takes no body.
            if (method is "POST" or "PUT" && path is not "/api/negotiate" and not "/api/admin/scan" and not "/api/channels/wecom/link")
                Assert.True(operation.TryGetProperty("requestBody", out var body)
                            && body.GetProperty("content").TryGetProperty(path == "/api/channels/wecom/callback" ? "text/xml" : "application/json", out _),
                    $"{where} has no request body schema");
        }
        Assert.Equal(served.Count, paths.EnumerateObject().Sum(p => p.Value.EnumerateObject().Count()));

        // Spot checks of the words and shapes.
        var respond = paths.GetProperty("/api/prompts/{id}/respond").GetProperty("post");
        Assert.Equal(["200", "400", "401", "404", "409", "413", "415", "422", "429", "503"], respond.GetProperty("responses").EnumerateObject().Select(r => r.Name).Order());
        foreach (var keyed in new[] { respond, paths.GetProperty("/api/prompts/{id}/feedback").GetProperty("post") })
        {
            var header = keyed.GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("in").GetString() == "header");
            Assert.Equal("Idempotency-Key", header.GetProperty("name").GetString());
            Assert.False(header.GetProperty("required").GetBoolean());
            Assert.Equal(255, header.GetProperty("schema").GetProperty("maxLength").GetInt32());
        }
        var welcome = paths.GetProperty("/api/welcome").GetProperty("post");
        Assert.Equal(["200", "204", "400", "401", "413", "415", "429", "503"], welcome.GetProperty("responses").EnumerateObject().Select(r => r.Name).Order());
        Assert.False(welcome.GetProperty("responses").GetProperty("204").TryGetProperty("content", out _));
        var stats = paths.GetProperty("/api/admin/stats").GetProperty("get");
        Assert.Contains(stats.GetProperty("responses").EnumerateObject(), r => r.Name == "403");
        Assert.False(paths.GetProperty("/api/health").GetProperty("get").TryGetProperty("security", out _));
        // Every $ref points at a component that exists.
        var schemas = doc.GetProperty("components").GetProperty("schemas");
        foreach (var reference in Refs(doc)) Assert.True(schemas.TryGetProperty(reference["#/components/schemas/".Length..], out _), reference);
    }

    [Fact]
    public async Task The_local_host_serves_the_document_without_a_token_and_without_the_dev_sign_in()
    {
        await using var host = await AppHost.StartLocalAsync(await Azurite.SharedAsync());
        using var anonymous = new HttpClient { BaseAddress = host.BaseAddress };
        var doc = JsonDocument.Parse(await anonymous.GetStringAsync(DocumentRoute)).RootElement;
        var paths = doc.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/prompts", paths);
        Assert.DoesNotContain(paths, p => p.StartsWith("/api/dev/", StringComparison.Ordinal));

        // Schemas named for anonymous answers match what the handler really sends.
        var health = JsonDocument.Parse(await anonymous.GetStringAsync("/api/health")).RootElement;
        var schema = doc.GetProperty("components").GetProperty("schemas").GetProperty("HealthStatus").GetProperty("properties");
        Assert.Equal(health.EnumerateObject().Select(p => p.Name).Order(), schema.EnumerateObject().Select(p => p.Name).Order());
    }

    private static IEnumerable<string> Refs(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => e.EnumerateObject().SelectMany(p => p.Name == "$ref" ? [p.Value.GetString()!] : Refs(p.Value)),
        JsonValueKind.Array => e.EnumerateArray().SelectMany(Refs),
        _ => [],
    };
}
