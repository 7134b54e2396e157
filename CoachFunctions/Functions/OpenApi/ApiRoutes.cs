using System.Reflection;
using CoachFunctions.Hosting.Middleware;
using Microsoft.Azure.Functions.Worker;

namespace CoachFunctions.Functions.OpenApi;

/// <summary>One HTTP function as a route: its name, methods, path under /api and who may call it.</summary>
public sealed record ApiRoute(string Function, IReadOnlyList<string> Methods, string Path, FunctionAccess Access);

/// <summary>
/// The app's HTTP routes, read from the same <c>[Function]</c> and <c>[HttpTrigger]</c> attributes
/// the SDK turns into functions.metadata, so the document cannot drift from what is served.
/// </summary>
public static class ApiRoutes
{
    public const string Prefix = "/api";

    public static IReadOnlyList<ApiRoute> All { get; } = Read(typeof(ApiRoutes).Assembly);

    public static IReadOnlyList<ApiRoute> Read(Assembly assembly) =>
    [
        .. from type in assembly.GetTypes()
           from method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
           let function = method.GetCustomAttribute<FunctionAttribute>()
           let trigger = method.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(t => t is not null)
           where function is not null && trigger is not null
           orderby trigger.Route, function.Name
           select new ApiRoute(function.Name, [.. (trigger.Methods ?? []).Select(m => m.ToUpperInvariant())],
               $"{Prefix}/{trigger.Route ?? function.Name}", FunctionAccess.Of(method)),
    ];
}
