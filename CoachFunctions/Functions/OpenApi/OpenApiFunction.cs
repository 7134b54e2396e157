using Microsoft.AspNetCore.Authorization;
using Microsoft.Azure.Functions.Worker;

namespace CoachFunctions.Functions.OpenApi;

/// <summary>The OpenAPI document (<see cref="OpenApiDocument"/>), served anonymously at /api/openapi.json.</summary>
public sealed class OpenApiFunction
{
    public const string Route = "openapi.json";

    [Function("OpenApi")]
    [AllowAnonymous]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Route)] HttpRequest req) =>
        Results.Text(OpenApiDocument.Text.Value, "application/json");
}
