using System.Text;

namespace CoachFunctions.Coaching.Channels.WeCom;

/// <summary>
/// Seed 004's push templates: text with placeholders (<c>{title}</c>, <c>{message}</c>,
/// <c>{habitName}</c>, <c>{name}</c>) an admin may edit; <c>{{</c> and <c>}}</c> are literal braces.
/// Only known template names and placeholders are accepted, so a typo is a 400 at the PUT rather
/// than a message with "{titel}" in it at 8 in the morning.
/// </summary>
public static class MessageTemplates
{
    /// <summary>The WeCom text message.</summary>
    public const string WeComText = "wecom_text";

    /// <summary>The title of the mini-program card (when a mini-program is configured).</summary>
    public const string WeComMiniProgramTitle = "wecom_miniprogram_title";

    public const int MaxLength = 1000;

    public static readonly IReadOnlySet<string> Placeholders = new HashSet<string>(StringComparer.Ordinal) { "title", "message", "habitName", "name" };

    /// <summary>The template each name has until an admin stores another.</summary>
    public static readonly IReadOnlyDictionary<string, string> Defaults = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [WeComText] = "{title}\n\n{message}",
        // A card title is short (WeCom cuts it); the prompt's title alone.
        [WeComMiniProgramTitle] = "{title}",
    };

    /// <summary>Per-name length limits below <see cref="MaxLength"/>.</summary>
    private static readonly IReadOnlyDictionary<string, int> Limits = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        [WeComText] = MaxLength,
        [WeComMiniProgramTitle] = 64,
    };

    public static bool IsKnown(string name) => Defaults.ContainsKey(name);

    public static int LengthLimit(string name) => Limits.GetValueOrDefault(name, MaxLength);

    /// <summary>Every problem with <paramref name="text"/> as a template called <paramref name="name"/>; empty when it is valid.</summary>
    public static IReadOnlyList<string> Validate(string name, string? text)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(text)) return ["The template is empty."];
        if (text.Length > LengthLimit(name)) problems.Add($"At most {LengthLimit(name)} characters.");
        if (text.Any(c => char.IsControl(c) && c is not '\n' && c is not '\r')) problems.Add("No control characters other than line breaks.");
        var (unknown, unbalanced) = Scan(text, null, out _);
        if (unbalanced is not null) problems.Add(unbalanced);
        foreach (var p in unknown.Distinct())
            problems.Add($"Unknown placeholder {{{p}}}; known: {string.Join(", ", Placeholders.Order(StringComparer.Ordinal).Select(k => "{" + k + "}"))}.");
        return problems;
    }

    /// <summary>The template with each placeholder replaced (a missing value becomes empty); assumes a valid template.</summary>
    public static string Render(string template, IReadOnlyDictionary<string, string?> values)
    {
        Scan(template, values, out var rendered);
        return rendered;
    }

    /// <summary>One pass over the text: placeholders not known, the first brace problem, and the rendering.</summary>
    private static (List<string> Unknown, string? Unbalanced) Scan(string text, IReadOnlyDictionary<string, string?>? values, out string rendered)
    {
        var unknown = new List<string>();
        string? unbalanced = null;
        var output = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '{' && i + 1 < text.Length && text[i + 1] == '{') { output.Append('{'); i++; continue; }
            if (c == '}' && i + 1 < text.Length && text[i + 1] == '}') { output.Append('}'); i++; continue; }
            if (c == '}') { unbalanced ??= $"A '}}' at {i} closes nothing (write }}}} for a literal brace)."; continue; }
            if (c != '{') { output.Append(c); continue; }
            var close = text.IndexOfAny(['{', '}'], i + 1);
            if (close < 0 || text[close] == '{') { unbalanced ??= $"A '{{' at {i} is not closed (write {{{{ for a literal brace)."; continue; }
            var name = text[(i + 1)..close];
            if (!Placeholders.Contains(name)) unknown.Add(name);
            else if (values is not null) output.Append(values.GetValueOrDefault(name) ?? "");
            i = close;
        }
        rendered = output.ToString();
        return (unknown, unbalanced);
    }
}
