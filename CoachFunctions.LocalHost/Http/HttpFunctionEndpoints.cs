using CoachFunctions.LocalHost.Functions;
using CoachFunctions.LocalHost.Settings;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.Primitives;

namespace CoachFunctions.LocalHost.Http;

/// <summary>
/// The HTTP-triggered functions as ASP.NET Core endpoints: route prefix + the function's route
/// template (its name when it has none), its methods. They appear once the first worker has indexed
/// the app, so routing, constraints and precedence are ASP.NET Core's own.
/// </summary>
internal sealed class HttpFunctionEndpoints : EndpointDataSource
{
    private readonly Lock _lock = new();
    private readonly HostJson _host;
    private readonly HttpForwarder _forwarder;
    private IReadOnlyList<Endpoint> _endpoints = [];
    private CancellationTokenSource _changed = new();

    public HttpFunctionEndpoints(FunctionCatalog catalog, HostJson host, HttpForwarder forwarder)
    {
        _host = host;
        _forwarder = forwarder;
        catalog.OnFirstLoad(Publish);
    }

    public override IReadOnlyList<Endpoint> Endpoints
    {
        get { lock (_lock) return _endpoints; }
    }

    public override IChangeToken GetChangeToken()
    {
        lock (_lock) return new CancellationChangeToken(_changed.Token);
    }

    public static RoutePattern Pattern(string routePrefix, FunctionDescriptor function, BindingDescriptor trigger)
    {
        var route = (trigger.Property("route") ?? function.Name).Trim('/');
        return RoutePatternFactory.Parse(string.IsNullOrEmpty(routePrefix) ? route : $"{routePrefix}/{route}");
    }

    private void Publish(IReadOnlyList<FunctionDescriptor> functions)
    {
        var endpoints = new List<Endpoint>();
        foreach (var function in functions)
        {
            if (function.Trigger is not { } trigger || !trigger.Is("httpTrigger")) continue;
            var builder = new RouteEndpointBuilder(context => _forwarder.ForwardAsync(context, function), Pattern(_host.RoutePrefix, function, trigger), order: 0)
            {
                DisplayName = $"Functions.{function.Name}",
            };
            if (trigger.Methods is { Count: > 0 } methods) builder.Metadata.Add(new HttpMethodMetadata(methods));
            builder.Metadata.Add(function);
            endpoints.Add(builder.Build());
        }

        CancellationTokenSource previous;
        lock (_lock)
        {
            _endpoints = endpoints;
            previous = _changed;
            _changed = new CancellationTokenSource();
        }
        previous.Cancel();
    }
}
