using CoachFunctions.Functions.OpenApi;
using CoachFunctions.Hosting.RateLimiting;

namespace CoachFunctions.Tests.Hosting;

/// <summary>What each HTTP function declares for the middleware: only health, the document and WeCom's signed callback are anonymous, only admin/* need the role.</summary>
public sealed class FunctionAccessTests
{
    [Fact]
    public void Only_health_and_the_document_are_anonymous_and_only_admin_routes_need_the_role()
    {
        Assert.Equal(["Health", "OpenApi", "WeComCallback", "WeComVerifyUrl"], ApiRoutes.All.Where(r => r.Access.Anonymous).Select(r => r.Function).Order());
        Assert.Equal(ApiRoutes.All.Where(r => r.Path.StartsWith("/api/admin/", StringComparison.Ordinal)).Select(r => r.Function).Order(),
            ApiRoutes.All.Where(r => r.Access.Admin).Select(r => r.Function).Order());
        Assert.Equal(5, ApiRoutes.All.Count(r => r.Access.Admin));
    }

    [Fact]
    public void Get_and_delete_on_one_prompt_are_two_functions_on_one_route()
    {
        var onePrompt = ApiRoutes.All.Where(r => r.Path == "/api/prompts/{id}").ToDictionary(r => r.Function, r => string.Join(",", r.Methods));
        Assert.Equal(new Dictionary<string, string> { ["DismissPrompt"] = "DELETE", ["GetPrompt"] = "GET" }, onePrompt);
        Assert.All(ApiRoutes.All, r => Assert.Single(r.Methods));
    }

    [Fact]
    public void Rate_limit_policies_named_by_functions_exist()
    {
        Assert.All(ApiRoutes.All.Select(r => r.Access.RateLimitPolicy).OfType<string>(), p => Assert.Contains(p, RateLimits.Policies));
    }
}
