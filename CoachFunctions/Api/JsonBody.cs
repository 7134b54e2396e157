using System.Text.Json;
using System.Text.Json.Serialization;
using CoachFunctions.Hosting;

namespace CoachFunctions.Api;

/// <summary>
/// Reads a JSON request body strictly: a size cap, no unknown members, and a clear 400 problem for
/// anything malformed, before any handler writes anything.
/// </summary>
public static class JsonBody
{
    public const int MaxBytes = 16 * 1024;

    private static readonly JsonSerializerOptions Strict = CreateStrict();

    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request, CancellationToken ct) where T : class
    {
        if (request.ContentLength > MaxBytes)
            return (null, Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "The request body is too large.", detail: $"At most {MaxBytes} bytes."));
        if (request.ContentType is { } type && !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            return (null, Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type.", detail: "Send application/json."));

        using var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
                return (null, Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "The request body is too large.", detail: $"At most {MaxBytes} bytes."));
            buffer.Write(chunk, 0, read);
        }
        if (buffer.Length == 0) return (null, Problems.BadRequest("The request body is empty; a JSON object is required."));
        try
        {
            var value = JsonSerializer.Deserialize<T>(buffer.ToArray(), Strict);
            return value is null ? (null, Problems.BadRequest("The request body must be a JSON object.")) : (value, null);
        }
        catch (JsonException e)
        {
            return (null, Problems.BadRequest($"The request body is not valid: {Describe(e)}"));
        }
    }

    private static string Describe(JsonException e) =>
        e.Path is { Length: > 1 } path ? $"problem at '{path}'." : "malformed JSON.";

    private static JsonSerializerOptions CreateStrict()
    {
        var options = CoachJson.Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.NumberHandling = JsonNumberHandling.Strict;
        return options;
    }
}
