using System.Text.Json;
using CoachFunctions.Coaching.Generation;
using OpenAI.Chat;

namespace CoachFunctions.Llm;

/// <summary>
/// The structured output every provider is asked for (a strict JSON schema of title and message)
/// and how its answer is read back, so the providers differ only in how they reach the service.
/// </summary>
internal static class ChatOutput
{
    public static readonly ChatResponseFormat Format = ChatResponseFormat.CreateJsonSchemaFormat(
        jsonSchemaFormatName: "coaching_prompt",
        jsonSchema: BinaryData.FromString("""
            {
              "type": "object",
              "properties": {
                "title": { "type": "string", "description": "The notification title." },
                "message": { "type": "string", "description": "The notification body." }
              },
              "required": ["title", "message"],
              "additionalProperties": false
            }
            """),
        jsonSchemaFormatDescription: "A coaching notification.",
        jsonSchemaIsStrict: true);

    /// <summary>The answer with the model the service reported (else the configured one) and the tokens it billed.</summary>
    public static ChatAnswer ToAnswer(ChatCompletion completion, string configuredModel)
    {
        var (title, message) = Parse(completion);
        return new ChatAnswer(title, message, completion.Model ?? configuredModel,
            completion.Usage?.InputTokenCount ?? 0, completion.Usage?.OutputTokenCount ?? 0);
    }

    /// <summary>The JSON object's title and message; nulls when the content is not that object (a refusal, prose, a fenced block).</summary>
    public static (string? Title, string? Message) Parse(ChatCompletion completion)
    {
        var text = string.Concat(completion.Content.Where(p => p.Kind == ChatMessageContentPartKind.Text).Select(p => p.Text));
        if (string.IsNullOrWhiteSpace(text)) return (null, null);
        try
        {
            using var json = JsonDocument.Parse(text);
            if (json.RootElement.ValueKind != JsonValueKind.Object) return (null, null);
            return (StringProperty(json.RootElement, "title"), StringProperty(json.RootElement, "message"));
        }
        catch (JsonException)
        {
            return (null, null);
        }

        static string? StringProperty(JsonElement e, string name) =>
            e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
    }
}
