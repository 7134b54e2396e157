using System.Text.RegularExpressions;

namespace CoachFunctions.LocalHost.SignalR;

/// <summary>
/// One ASP.NET Core hub serves every Service hub name, so users, groups and broadcasts are scoped by
/// the hub name (case-insensitive, as the Service treats it) inside the keys SignalR routes by.
/// </summary>
internal static partial class HubNames
{
    public static bool IsValid(string? hub) => hub is not null && HubPattern().IsMatch(hub);

    public static string Normalize(string hub) => hub.ToLowerInvariant();

    public static string UserKey(string hub, string userId) => $"{Normalize(hub)}\u001f{userId}";

    public static string GroupKey(string hub, string group) => $"{Normalize(hub)}\u001fgroup\u001f{group}";

    public static string AllKey(string hub) => $"{Normalize(hub)}\u001fall";

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_`,.\\[\\]]{0,127}$")]
    private static partial Regex HubPattern();
}
