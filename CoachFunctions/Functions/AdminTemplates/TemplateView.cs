using CoachFunctions.Coaching.Channels.WeCom;

namespace CoachFunctions.Functions.AdminTemplates;

/// <summary>A message template as an admin sees it: its text, whether it is the built-in default, and what it may use.</summary>
public sealed record TemplateView(string Name, string Text, bool IsDefault, int MaxLength, IReadOnlyList<string> Placeholders, DateTimeOffset? UpdatedAt)
{
    public static TemplateView From(string name, (string Text, DateTimeOffset UpdatedAt)? stored) => new(
        name, stored?.Text ?? MessageTemplates.Defaults[name], stored is null, MessageTemplates.LengthLimit(name),
        [.. MessageTemplates.Placeholders.Order(StringComparer.Ordinal).Select(p => "{" + p + "}")], stored?.UpdatedAt);
}

/// <summary>The new text of a template.</summary>
public sealed record TemplateUpdate(string? Text);
