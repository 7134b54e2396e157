using System.Collections.Concurrent;
using System.Reflection;
using CoachFunctions.Hosting.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Azure.Functions.Worker;

namespace CoachFunctions.Hosting.Middleware;

/// <summary>What an HTTP function's method declares: who may call it and which rate limit applies.</summary>
public sealed record FunctionAccess(bool Anonymous, bool Admin, string? RateLimitPolicy)
{
    public static readonly FunctionAccess UserToken = new(false, false, null);

    /// <summary>Reads the ASP.NET Core attributes on the function's method (or its class).</summary>
    public static FunctionAccess Of(MethodInfo method)
    {
        var declaringType = method.DeclaringType!;
        bool Has<T>() where T : Attribute => method.GetCustomAttribute<T>() is not null || declaringType.GetCustomAttribute<T>() is not null;
        var authorize = method.GetCustomAttributes<AuthorizeAttribute>().Concat(declaringType.GetCustomAttributes<AuthorizeAttribute>());
        var limit = method.GetCustomAttribute<EnableRateLimitingAttribute>() ?? declaringType.GetCustomAttribute<EnableRateLimitingAttribute>();
        return new FunctionAccess(Has<AllowAnonymousAttribute>(), authorize.Any(a => a.Policy == AuthPolicies.Admin), limit?.PolicyName);
    }
}

/// <summary>
/// Finds each function's method from its definition's entry point (<c>Namespace.Class.Method</c>)
/// once, and keeps what it declares, so a request costs a dictionary look-up.
/// </summary>
public sealed class FunctionAccessCatalog
{
    private readonly ConcurrentDictionary<string, FunctionAccess> _byFunctionId = new();

    public FunctionAccess For(FunctionDefinition function) =>
        _byFunctionId.GetOrAdd(function.Id, static (_, f) => FunctionAccess.Of(FindMethod(f.EntryPoint)), function);

    /// <summary>The method an entry point names, in this assembly (the only one with functions).</summary>
    public static MethodInfo FindMethod(string entryPoint)
    {
        var dot = entryPoint.LastIndexOf('.');
        var type = typeof(FunctionAccessCatalog).Assembly.GetType(entryPoint[..dot], throwOnError: true)!;
        return type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
            .Single(m => m.Name == entryPoint[(dot + 1)..] && m.GetCustomAttribute<FunctionAttribute>() is not null);
    }
}
