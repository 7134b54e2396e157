using System.Globalization;

namespace CoachFunctions.Coaching.Channels.WeCom;

/// <summary>
/// The limits a WeCom send must respect. <see cref="Window"/> and <see cref="MaxPerWindow"/> are the
/// platform's (a kf account may send at most 5 messages within 48 hours of the customer's last
/// message); quiet time and the daily limit are the channel's own (seed 004: 22:00-08:00, 10 a day),
/// both in the user's zone. Quiet time is off when <see cref="QuietStart"/> equals <see cref="QuietEnd"/>.
/// </summary>
public sealed record WeComLimits(TimeOnly QuietStart, TimeOnly QuietEnd, int DailyLimit)
{
    public static readonly TimeSpan Window = TimeSpan.FromHours(48);
    public const int MaxPerWindow = 5;
    public const string DefaultQuietTime = "22:00-08:00";
    public const int DefaultDailyLimit = 10;

    public static readonly WeComLimits Default = new(new TimeOnly(22, 0), new TimeOnly(8, 0), DefaultDailyLimit);

    public bool HasQuietTime => QuietStart != QuietEnd;

    /// <summary>"HH:mm-HH:mm" (may cross midnight), or empty for no quiet time.</summary>
    public static bool TryParseQuietTime(string? text, out TimeOnly start, out TimeOnly end)
    {
        start = end = TimeOnly.MinValue;
        if (string.IsNullOrWhiteSpace(text)) return true;
        var parts = text.Split('-', StringSplitOptions.TrimEntries);
        return parts.Length == 2
               && TimeOnly.TryParseExact(parts[0], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out start)
               && TimeOnly.TryParseExact(parts[1], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out end);
    }
}
