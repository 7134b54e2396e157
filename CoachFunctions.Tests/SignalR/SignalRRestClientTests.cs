using System.Net;
using System.Text;
using System.Text.Json;
using CoachFunctions.SignalR;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CoachFunctions.Tests.SignalR;

/// <summary>
/// The REST send as SignalR Service documents it: the URL, the body, and a bearer token signed with
/// the access key whose audience is the URL without its query; anything but 202 fails the send.
/// </summary>
public sealed class SignalRRestClientTests
{
    private const string AccessKey = "test-access-key-0123456789abcdef0123456789";
    private static readonly DateTimeOffset Now = new(2031, 5, 4, 9, 15, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_send_posts_the_invocation_to_the_user_with_a_token_for_that_url()
    {
        var handler = new RecordingHandler(HttpStatusCode.Accepted);
        var client = Client(handler, "Endpoint=https://coach.service.signalr.net;AccessKey=" + AccessKey + ";Version=1.0;");
        await client.SendToUserAsync("coaching", "alice@example", "coachingPrompt", [new { id = "p1", message = "Hi" }], CancellationToken.None);

        var request = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("https://coach.service.signalr.net/api/hubs/coaching/users/alice%40example/:send?api-version=2022-06-01", request.Uri);
        var body = JsonDocument.Parse(request.Body).RootElement;
        Assert.Equal("coachingPrompt", body.GetProperty("target").GetString());
        Assert.Equal("p1", body.GetProperty("arguments")[0].GetProperty("id").GetString());

        Assert.Equal("Bearer", request.Scheme);
        var validated = await new JsonWebTokenHandler().ValidateTokenAsync(request.Token, new TokenValidationParameters
        {
            ValidateIssuer = false,
            ValidAudience = "https://coach.service.signalr.net/api/hubs/coaching/users/alice%40example/:send",
            IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(AccessKey)),
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            LifetimeValidator = (_, expires, _, _) => expires > Now.UtcDateTime && expires <= Now.AddMinutes(10).UtcDateTime, // short-lived
        });
        Assert.True(validated.IsValid, validated.Exception?.Message);
    }

    [Fact]
    public async Task The_port_in_the_connection_string_is_used()
    {
        var handler = new RecordingHandler(HttpStatusCode.Accepted);
        await Client(handler, "Endpoint=http://127.0.0.1;Port=7071;AccessKey=" + AccessKey + ";Version=1.0;")
            .SendToUserAsync("coaching", "bob", "coachingPrompt", ["x"], CancellationToken.None);
        Assert.StartsWith("http://127.0.0.1:7071/api/hubs/coaching/users/bob/:send?", Assert.Single(handler.Requests).Uri);
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.InternalServerError)]
    public async Task Anything_but_202_fails_the_send_so_the_queue_retries(HttpStatusCode status)
    {
        var client = Client(new RecordingHandler(status), "Endpoint=https://coach.service.signalr.net;AccessKey=" + AccessKey + ";Version=1.0;");
        await Assert.ThrowsAsync<SignalRSendException>(() => client.SendToUserAsync("coaching", "alice", "coachingPrompt", ["x"], CancellationToken.None));
    }

    [Fact]
    public async Task Client_tokens_name_the_user_and_the_hub_url()
    {
        var endpoint = new SignalRServiceEndpoint("Endpoint=https://coach.service.signalr.net;AccessKey=" + AccessKey + ";Version=1.0;");
        var token = await Client(new RecordingHandler(HttpStatusCode.OK), endpoint).ClientTokenAsync("coaching", "alice", CancellationToken.None);
        var jwt = new JsonWebToken(token);
        Assert.Equal("https://coach.service.signalr.net/client/?hub=coaching", Assert.Single(jwt.Audiences));
        Assert.Equal("alice", jwt.GetClaim("nameid").Value);
        Assert.Equal("alice", jwt.GetClaim(SignalRServiceEndpoint.UserIdClaim).Value);
        Assert.Equal(Now.AddHours(1).UtcDateTime, jwt.ValidTo);
    }

    private static SignalRRestClient Client(RecordingHandler handler, string connectionString) => Client(handler, new SignalRServiceEndpoint(connectionString));

    private static SignalRRestClient Client(RecordingHandler handler, SignalRServiceEndpoint endpoint) =>
        new(new HttpClient(handler), endpoint, new FakeTimeProvider(Now));

    private sealed record Recorded(HttpMethod Method, string Uri, string Body, string? Scheme, string Token);

    private sealed class RecordingHandler(HttpStatusCode status) : HttpMessageHandler
    {
        public List<Recorded> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
            Requests.Add(new Recorded(request.Method, request.RequestUri!.AbsoluteUri, body, request.Headers.Authorization?.Scheme, request.Headers.Authorization?.Parameter ?? ""));
            return new HttpResponseMessage(status);
        }
    }
}
