using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization.Metadata;
using CoachFunctions.Hosting;

namespace CoachFunctions.Functions.OpenApi;

/// <summary>
/// The OpenAPI 3.1 document of the /api routes: every HTTP function from <see cref="ApiRoutes"/>,
/// in <see cref="ApiDocs"/>' words, with JSON schemas of its bodies. Routes that need a token carry
/// the bearer security requirement and list 401; admin routes 403; rate-limited routes 429; every route 503.
/// </summary>
public static class OpenApiDocument
{
    public const string SchemeName = "Bearer";
    private const string Json = "application/json";
    private const string ProblemJson = "application/problem+json";

    /// <summary>Built once: it depends only on the code.</summary>
    public static readonly Lazy<string> Text = new(() => Build(ApiRoutes.All).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

    public static JsonObject Build(IReadOnlyList<ApiRoute> routes)
    {
        var schemas = new SchemaSet();
        var paths = new JsonObject();
        foreach (var route in routes.Where(r => r.Function != "OpenApi")) // the document need not describe itself
        {
            var doc = ApiDocs.ByFunctionName.GetValueOrDefault(route.Function)
                      ?? throw new InvalidOperationException($"ApiDocs has no words for the HTTP function {route.Function}.");
            var item = paths[route.Path] as JsonObject ?? (JsonObject)(paths[route.Path] = new JsonObject());
            foreach (var method in route.Methods) item[method.ToLowerInvariant()] = Operation(route, doc, schemas);
        }
        return new JsonObject
        {
            ["openapi"] = "3.1.1",
            ["info"] = new JsonObject
            {
                ["title"] = "CoachFunctions API",
                ["version"] = "v1",
                ["description"] = "Habit coaching: prompts, responses, preferences, habits and admin measures. Errors are RFC 9457 problem details.",
            },
            ["paths"] = paths,
            ["components"] = new JsonObject
            {
                ["schemas"] = schemas.Components,
                ["securitySchemes"] = new JsonObject
                {
                    [SchemeName] = new JsonObject
                    {
                        ["type"] = "http",
                        ["scheme"] = "bearer",
                        ["bearerFormat"] = "JWT",
                        ["description"] = "A user token: Entra ID (OpenID Connect) in Azure, the development sign-in locally.",
                    },
                },
            },
        };
    }

    private static JsonObject Operation(ApiRoute route, ApiDoc doc, SchemaSet schemas)
    {
        var responses = new JsonObject { [Code(doc.Status)] = Response(doc.Status, doc.Response, Json, schemas) };
        if (doc.MayBeEmpty) responses[Code(StatusCodes.Status204NoContent)] = Response(StatusCodes.Status204NoContent, null, Json, schemas);
        var problems = doc.Problems.ToList();
        if (!route.Access.Anonymous) problems.Add(401);
        if (route.Access.Admin) problems.Add(403);
        if (route.Access.RateLimitPolicy is not null) problems.Add(429);
        problems.Add(503); // storage not reachable, with Retry-After (every documented route but Negotiate needs it; Negotiate has its own 503)
        foreach (var status in problems.Distinct().Order())
            responses[Code(status)] = Response(status, status == 400 ? typeof(ValidationProblem) : typeof(Problem), ProblemJson, schemas);

        var operation = new JsonObject
        {
            ["operationId"] = route.Function,
            ["summary"] = doc.Summary,
            ["tags"] = new JsonArray(doc.Tag),
        };
        var parameters = new JsonArray();
        foreach (var name in PathParameters(route.Path))
            parameters.Add(new JsonObject { ["name"] = name, ["in"] = "path", ["required"] = true, ["schema"] = new JsonObject { ["type"] = "string" } });
        if (doc.Idempotent)
            parameters.Add(new JsonObject
            {
                ["name"] = Api.IdempotencyKey.Header,
                ["in"] = "header",
                ["required"] = false,
                ["description"] = "A key of the client's choosing (1-255 printable ASCII characters), the same on every retry of one request. " +
                                  "The same key and request within 24 hours answer the first status and body again (with Idempotent-Replayed: true) " +
                                  "and change nothing; the same key with another request is 422. Keys are per user.",
                ["schema"] = new JsonObject { ["type"] = "string", ["minLength"] = 1, ["maxLength"] = Api.IdempotencyKey.MaxLength, ["pattern"] = "^[ -~]+$" },
            });
        if (parameters.Count > 0) operation["parameters"] = parameters;
        if (doc.Request is { } request)
            operation["requestBody"] = new JsonObject
            {
                ["required"] = !doc.RequestOptional,
                ["content"] = doc.RequestMediaType is { } media
                    ? new JsonObject { [media] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "string" } } }
                    : new JsonObject { [Json] = new JsonObject { ["schema"] = schemas.Reference(request) } },
            };
        operation["responses"] = responses;
        if (!route.Access.Anonymous) operation["security"] = new JsonArray(new JsonObject { [SchemeName] = new JsonArray() });
        return operation;
    }

    private static JsonObject Response(int status, Type? body, string contentType, SchemaSet schemas)
    {
        var response = new JsonObject { ["description"] = Describe(status) };
        if (body is not null) response["content"] = new JsonObject { [contentType] = new JsonObject { ["schema"] = schemas.Reference(body) } };
        return response;
    }

    private static string Code(int status) => status.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static IEnumerable<string> PathParameters(string path) =>
        path.Split('/').Where(s => s.StartsWith('{') && s.EndsWith('}')).Select(s => s[1..^1].Split(':')[0]);

    private static string Describe(int status) => status switch
    {
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        409 => "Conflict",
        412 => "Precondition Failed",
        413 => "Content Too Large",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Content",
        429 => "Too Many Requests",
        503 => "Service Unavailable",
        _ => "Status " + status,
    };

    /// <summary>RFC 9457 problem details as the API writes them (their schema, not ASP.NET Core's converter-bound type).</summary>
    private sealed record Problem(string? Type, string? Title, int? Status, string? Detail, string? Instance, string? TraceId);

    /// <summary>A 400 with the fields that were wrong.</summary>
    private sealed record ValidationProblem(string? Type, string? Title, int? Status, string? Detail, string? Instance, string? TraceId,
        IDictionary<string, string[]> Errors);

    /// <summary>Component schemas by type name, exported from the types with the app's JSON options.</summary>
    private sealed class SchemaSet
    {
        private static readonly JsonSchemaExporterOptions Exporter = new() { TreatNullObliviousAsNonNullable = true };

        /// <summary>The app's JSON shape; the exporter needs its resolver named.</summary>
        private static readonly JsonSerializerOptions Shape = new(CoachJson.Options) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };

        public JsonObject Components { get; } = new();

        public JsonObject Reference(Type type)
        {
            var name = type.Name;
            if (!Components.ContainsKey(name)) Components[name] = Shape.GetJsonSchemaAsNode(type, Exporter);
            return new JsonObject { ["$ref"] = $"#/components/schemas/{name}" };
        }
    }
}
