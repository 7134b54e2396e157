using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace CoachFunctions.LocalHost.Tests;

/// <summary>The front door against a fake worker: routing from the metadata, forwarding, failures as problems.</summary>
public sealed class FrontDoorTests : IAsyncLifetime
{
    private FunctionsLocalHost _host = null!;
    private FakeWorker _worker = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _host = await TestHost.StartAsync();
        _worker = await FakeWorker.ConnectAsync(_host.GrpcUri,
        [
            FakeWorker.Function("GetPrompt",
                """{"name":"req","direction":"In","type":"httpTrigger","methods":["get"],"route":"prompts/{id}"}""",
                """{"name":"$return","direction":"Out","type":"http"}"""),
            FakeWorker.Function("Respond",
                """{"name":"req","direction":"In","type":"httpTrigger","methods":["post"],"route":"prompts/{id}/respond"}""",
                """{"name":"$return","direction":"Out","type":"http"}"""),
            FakeWorker.Function("Boom",
                """{"name":"req","direction":"In","type":"httpTrigger","methods":["get"],"route":"boom/empty"}""",
                """{"name":"$return","direction":"Out","type":"http"}"""),
            FakeWorker.Function("Health",
                """{"name":"req","direction":"In","type":"httpTrigger","methods":["get"]}"""),
        ]);
        _worker.Fail.Add("Boom");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _host.WaitForWorkerAsync(timeout.Token);
        _client = new HttpClient { BaseAddress = _host.BaseAddress };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
        await _worker.DisposeAsync();
    }

    [Fact]
    public async Task A_get_is_forwarded_with_its_route_values_and_invocation_id()
    {
        var response = await _client.GetAsync("/api/prompts/p-1?x=1");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var echo = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("/api/prompts/p-1", echo.GetProperty("path").GetString());
        Assert.Equal("?x=1", echo.GetProperty("query").GetString());
        Assert.Equal($"{_host.BaseAddress.Host}:{_host.BaseAddress.Port}", echo.GetProperty("forwardedHost").GetString());

        var invocation = _worker.Invocations.Single(i => i.InvocationId == echo.GetProperty("invocationId").GetString());
        Assert.Equal("p-1", invocation.TriggerMetadata["id"].String);
        Assert.Equal(Rpc.TypedData.DataOneofCase.Http, invocation.InputData.Single(b => b.Name == "req").Data.DataCase);
    }

    [Fact]
    public async Task A_post_body_and_headers_reach_the_worker()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/prompts/p-2/respond") { Content = JsonContent.Create(new { answer = "done" }) };
        request.Headers.Add("X-Custom", "kept");
        var response = await _client.SendAsync(request);
        var echo = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("""{"answer":"done"}""", echo.GetProperty("body").GetString());
        Assert.Equal("kept", echo.GetProperty("custom").GetString());
    }

    [Fact]
    public async Task A_route_without_a_template_is_the_function_name()
    {
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/api/Health")).StatusCode);
    }

    [Fact]
    public async Task A_failed_invocation_is_a_500_problem_without_the_exception_text()
    {
        var response = await _client.GetAsync("/api/boom/empty");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("secret", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("GET", "/api/nothing/here")]
    [InlineData("GET", "/prompts/p-1")]
    [InlineData("DELETE", "/api/prompts/p-1")]
    public async Task Unmatched_routes_and_methods_are_404_problems(string method, string path)
    {
        var response = await _client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed, $"{response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_body_declared_over_one_mebibyte_is_a_413_problem_before_it_is_sent()
    {
        var answer = await RawHttp.SendAsync(_host.BaseAddress, $"POST /api/prompts/p-3/respond HTTP/1.1\nHost: x\nContent-Length: {1024 * 1024 + 1}\n\n");
        AssertProblem(answer, 413);
    }

    [Fact]
    public async Task A_chunked_body_over_one_mebibyte_is_a_413_problem()
    {
        var chunk = new byte[64 * 1024];
        var body = new MemoryStream();
        for (var i = 0; i < 17; i++)
        {
            body.Write(System.Text.Encoding.ASCII.GetBytes($"{chunk.Length:x}\r\n"));
            body.Write(chunk);
            body.Write("\r\n"u8);
        }
        body.Write("0\r\n\r\n"u8);
        var answer = await RawHttp.SendAsync(_host.BaseAddress, "POST /api/prompts/p-3/respond HTTP/1.1\nHost: x\nTransfer-Encoding: chunked\n\n", body.ToArray());
        AssertProblem(answer, 413);
    }

    [Fact]
    public async Task Broken_chunked_framing_is_a_400_problem()
    {
        var answer = await RawHttp.SendAsync(_host.BaseAddress, "POST /api/prompts/p-3/respond HTTP/1.1\nHost: x\nTransfer-Encoding: chunked\n\nzz\r\nhello\r\n0\r\n\r\n");
        AssertProblem(answer, 400);
    }

    [Fact]
    public async Task A_request_target_over_four_kibibytes_is_a_414_problem()
    {
        var answer = await RawHttp.SendAsync(_host.BaseAddress, $"GET /api/prompts/{new string('a', 4 * 1024)} HTTP/1.1\nHost: x\n\n");
        AssertProblem(answer, 414);
    }

    [Fact]
    public async Task Request_headers_over_16_kibibytes_are_a_431_problem()
    {
        var answer = await RawHttp.SendAsync(_host.BaseAddress, $"GET /api/prompts/p-1 HTTP/1.1\nHost: x\nX-Big: {new string('a', 16 * 1024)}\n\n");
        AssertProblem(answer, 431);
    }

    [Fact]
    public async Task More_than_64_request_headers_are_a_431_problem()
    {
        var headers = string.Concat(Enumerable.Range(0, 64).Select(i => $"X-H{i}: v\n"));
        var answer = await RawHttp.SendAsync(_host.BaseAddress, $"GET /api/prompts/p-1 HTTP/1.1\nHost: x\n{headers}\n");
        AssertProblem(answer, 431);
    }

    [Fact]
    public async Task A_request_just_inside_every_limit_reaches_the_function()
    {
        var id = new string('a', FrontDoorLimitsTarget - "/api/prompts/".Length);
        var headers = string.Concat(Enumerable.Range(0, 62).Select(i => $"X-H{i}: {new string('v', 200)}\n"));
        var answer = await RawHttp.SendAsync(_host.BaseAddress, $"GET /api/prompts/{id} HTTP/1.1\nHost: x\n{headers}\n");
        Assert.Equal(200, answer.Status);
        Assert.Equal($"/api/prompts/{id}", answer.Json.GetProperty("path").GetString());
    }

    private const int FrontDoorLimitsTarget = 4 * 1024;

    [Fact]
    public async Task A_request_head_that_is_not_http_gets_kestrels_bare_400_and_reaches_no_function()
    {
        // Kestrel refuses an unparsable head before any middleware runs and offers no hook for its body:
        // there is no request to route. This pins that documented exception to "every refusal is a problem".
        var invocations = _worker.Invocations.Count;
        var answer = await RawHttp.SendAsync(_host.BaseAddress, "GET /api/prompts/p-1 HTTP/1.1\nHost: x\nBad Header Name: v\n\n");
        Assert.Equal(400, answer.Status);
        Assert.Equal("close", answer.Headers["Connection"]);
        Assert.Equal(invocations, _worker.Invocations.Count);
    }

    private static void AssertProblem(RawHttp.Answer answer, int status)
    {
        Assert.Equal(status, answer.Status);
        Assert.StartsWith("application/problem+json", answer.Headers["Content-Type"]);
        Assert.Equal(status, answer.Json.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(answer.Json.GetProperty("title").GetString()));
    }

    [Fact]
    public void Load_requests_carry_our_ids_and_the_bindings_map()
    {
        var load = _worker.Loads.Single(l => l.Metadata.Name == "GetPrompt");
        Assert.False(string.IsNullOrEmpty(load.FunctionId));
        Assert.Equal(load.FunctionId, load.Metadata.FunctionId);
        Assert.Equal("httpTrigger", load.Metadata.Bindings["req"].Type);
        Assert.Equal(Rpc.BindingInfo.Types.Direction.Out, load.Metadata.Bindings["$return"].Direction);
        Assert.Contains("GetPrompt", _host.FunctionNames);
    }

    [Fact]
    public async Task A_second_worker_is_refused_while_one_is_connected()
    {
        await using var second = await FakeWorker.ConnectAsync(_host.GrpcUri, [], "second-worker");
        var finished = await Task.WhenAny(second.Completion, Task.Delay(TimeSpan.FromSeconds(10)));
        Assert.Same(second.Completion, finished);
        Assert.Empty(second.Loads);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/api/Health")).StatusCode);
    }

    [Fact]
    public void Worker_settings_include_the_generated_connection_string_and_signing_key()
    {
        Assert.StartsWith($"Endpoint={_host.BaseAddress.GetLeftPart(UriPartial.Authority)};AccessKey=", _host.WorkerSettings["AzureSignalRConnectionString"]);
        Assert.True(Convert.FromBase64String(_host.WorkerSettings["Auth:SigningKey"]!).Length >= 32);
        Assert.Equal("dotnet-isolated", _host.WorkerSettings["FUNCTIONS_WORKER_RUNTIME"]);
        Assert.Null(_host.WorkerProcessId);
    }
}
