using System.Text.Json;
using CoachFunctions.Hosting;
using CoachFunctions.Hosting.Invocation;
using CoachFunctions.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CoachFunctions.Tests.Hosting;

/// <summary>function.json is the single source of truth: the app serves exactly what it declares.</summary>
public sealed class FunctionCatalogTests
{
    [Fact]
    public void Every_function_json_has_one_trigger_and_a_known_shape()
    {
        var catalog = FunctionCatalog.Load(AppContext.BaseDirectory);
        Assert.Contains(catalog.Functions, f => f.Name == "ScanUsers" && f.Trigger.Type == "timerTrigger");
        Assert.Contains(catalog.Functions, f => f.Name == "GeneratePrompt" && f.Trigger.QueueName == "detections");
        Assert.Contains(catalog.Functions, f => f.Name == "DeliverPrompt" && f.Outputs.Single().Type == "signalR");
        foreach (var f in catalog.Functions)
        {
            _ = f.Trigger; // exactly one
            if (f.Trigger.Type == "httpTrigger")
                Assert.Equal(["http"], f.Outputs.Select(o => o.Type)); // forwarding needs exactly http in, http out
        }
    }

    [Fact]
    public async Task Every_http_function_route_and_method_is_served_and_nothing_undeclared_is()
    {
        await using var host = await AppHost.StartFunctionsAsync(await Azurite.SharedAsync());
        var catalog = FunctionCatalog.Load(AppContext.BaseDirectory);
        var declared = catalog.Functions.Where(f => f.Trigger.Type == "httpTrigger")
            .SelectMany(f => f.Trigger.Methods!.Select(m => $"{m.ToUpperInvariant()} /api/{f.Trigger.Route}"))
            .Order().ToList();
        var served = host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/api/", StringComparison.Ordinal))
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Select(m => $"{m} {e.RoutePattern.RawText}"))
            .Order().ToList();
        Assert.Equal(declared, served);
    }

    [Fact]
    public void Setting_references_resolve_like_the_host()
    {
        Assert.Equal("0 */5 * * * *", FunctionCatalog.Resolve("%ScanSchedule%", k => k == "ScanSchedule" ? "0 */5 * * * *" : null));
        Assert.Throws<InvalidOperationException>(() => FunctionCatalog.Resolve("%Missing%", _ => null));
    }

    [Fact]
    public void Host_json_queue_settings_are_read()
    {
        var settings = QueueTriggerSettings.Load(Path.Combine(AppContext.BaseDirectory, "host.json"));
        Assert.Equal(5, settings.MaxDequeueCount);
        Assert.Equal(Azure.Storage.Queues.QueueMessageEncoding.Base64, settings.MessageEncoding);
        Assert.Equal(TimeSpan.Zero, settings.VisibilityTimeout);
    }

    private sealed record Message(string UserId, int N);

    [Theory]
    [InlineData("{\"userId\":\"u\",\"n\":1}")]                         // an object, as is
    [InlineData("\"{\\\"userId\\\":\\\"u\\\",\\\"n\\\":1}\"")]          // the docs: a JSON string holding the message
    [InlineData("\"\\\"{\\\\\\\"userId\\\\\\\":\\\\\\\"u\\\\\\\",\\\\\\\"n\\\\\\\":1}\\\"\"")] // the host: serialized once more
    public void Trigger_values_decode_in_every_encoding(string raw)
    {
        var value = JsonDocument.Parse(raw).RootElement;
        Assert.Equal(new Message("u", 1), TriggerValue.Deserialize<Message>(value, "m"));
    }

    [Fact]
    public void Dequeue_count_is_read_as_string_or_number()
    {
        var request = new InvocationRequest();
        request.Metadata["DequeueCount"] = JsonDocument.Parse("\"3\"").RootElement;
        Assert.Equal(3, request.DequeueCount);
        request.Metadata["DequeueCount"] = JsonDocument.Parse("4").RootElement;
        Assert.Equal(4, request.DequeueCount);
    }
}
