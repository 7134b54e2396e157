using System.Net;
using System.Text.Json;
using CoachFunctions.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CoachFunctions.Tests.Api;

/// <summary>The served OpenAPI document describes every served /api route, anonymously.</summary>
[Collection(LocalHostCollection.Name)]
public sealed class OpenApiDocumentTests
{
    private const string DocumentRoute = "/api/openapi.json";

    [Fact]
    public async Task Every_served_api_route_is_in_the_document_with_summary_responses_and_security()
    {
        await using var host = await AppHost.StartFunctionsAsync(await Azurite.SharedAsync());
        using var anonymous = new HttpClient { BaseAddress = host.BaseAddress };
        var response = await anonymous.GetAsync(DocumentRoute);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.StartsWith("3.", doc.GetProperty("openapi").GetString());

        var scheme = doc.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal("http", scheme.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());

        var served = host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/api/", StringComparison.Ordinal) && e.RoutePattern.RawText != DocumentRoute) // the document need not describe itself
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Select(m => (Path: e.RoutePattern.RawText!, Method: m, Endpoint: e)))
            .ToList();
        Assert.True(served.Count >= 12);
        var paths = doc.GetProperty("paths");
        foreach (var (path, method, endpoint) in served)
        {
            var where = $"{method} {path}";
            Assert.True(paths.TryGetProperty(path, out var item), $"{where} is not in the document");
            Assert.True(item.TryGetProperty(method.ToLowerInvariant(), out var operation), $"{where} is not in the document");
            Assert.False(string.IsNullOrWhiteSpace(operation.TryGetProperty("summary", out var s) ? s.GetString() : null), $"{where} has no summary");

            var responses = operation.GetProperty("responses").EnumerateObject().ToList();
            Assert.True(responses.Any(r => r.Name.StartsWith('2')), $"{where} lists no success response");
            Assert.True(responses.Any(r => r.Value.TryGetProperty("content", out var c) && c.TryGetProperty("application/problem+json", out _)),
                $"{where} lists no problem details response");

            var needsToken = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is null && endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Any();
            Assert.Equal(needsToken, operation.TryGetProperty("security", out var security) && security.GetArrayLength() > 0);
            if (needsToken)
            {
                Assert.True(security[0].TryGetProperty("Bearer", out _), $"{where} does not name the bearer scheme");
                Assert.Contains(responses, r => r.Name == "401");
            }
            if (method is "POST" or "PUT" && path is not "/api/negotiate" and not "/api/admin/scan")
                Assert.True(operation.TryGetProperty("requestBody", out var body) && body.GetProperty("content").TryGetProperty("application/json", out _),
                    $"{where} has no JSON request body schema");
        }

        // Spot checks of the words and shapes.
        var respond = paths.GetProperty("/api/prompts/{id}/respond").GetProperty("post");
        Assert.Equal(["200", "400", "401", "404", "409", "413", "415", "429"], respond.GetProperty("responses").EnumerateObject().Select(r => r.Name).Order());
        var stats = paths.GetProperty("/api/admin/stats").GetProperty("get");
        Assert.Contains(stats.GetProperty("responses").EnumerateObject(), r => r.Name == "403");
        Assert.False(paths.GetProperty("/api/health").GetProperty("get").TryGetProperty("security", out _));
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
}
