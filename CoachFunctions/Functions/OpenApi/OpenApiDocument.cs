using CoachFunctions.Hosting.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;

namespace CoachFunctions.Functions.OpenApi;

/// <summary>
/// The OpenAPI 3.1 document of the /api routes, served anonymously at /api/openapi.json (a
/// function of its own, so the Functions host forwards it too). Routes that need a token carry
/// the bearer security requirement.
/// </summary>
public static class OpenApiDocument
{
    public const string Route = "/api/openapi.json";
    public const string SchemeName = "Bearer";

    public static IServiceCollection AddCoachOpenApi(this IServiceCollection services) => services.AddOpenApi(o =>
    {
        // Only the shipped API: not the development sign-in, not the custom-handler plumbing.
        o.ShouldInclude = d => d.RelativePath is { } path && path.StartsWith("api/", StringComparison.Ordinal) && !path.StartsWith("api/dev/", StringComparison.Ordinal);
        o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "CoachFunctions API",
                Version = "v1",
                Description = "Habit coaching: prompts, responses, preferences, habits and admin measures. Errors are RFC 9457 problem details.",
            };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[SchemeName] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "A user token: Entra ID (OpenID Connect) in Azure, the development sign-in locally.",
            };
            return Task.CompletedTask;
        });
        o.AddOperationTransformer((operation, context, _) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            if (metadata.OfType<IAllowAnonymous>().Any() || !metadata.OfType<IAuthorizeData>().Any()) return Task.CompletedTask;
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeName, context.Document)] = [] });
            return Task.CompletedTask;
        });
    });

    public static void MapOpenApiDocument(this IEndpointRouteBuilder app) =>
        app.MapOpenApi(Route).AllowAnonymous().WithName("OpenApi");
}
