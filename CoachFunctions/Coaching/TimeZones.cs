using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace CoachFunctions.Coaching;

/// <summary>
/// Time-zone ids as users type them and as rows hold them. Users get IANA ids only, matched in any
/// letter case and stored in the database's own spelling (<c>asia/kathmandu</c> is stored
/// <c>Asia/Kathmandu</c>); Windows ids (<c>W. Europe Standard Time</c>) are refused, not converted:
/// one Windows zone stands for several IANA zones with different histories, and clients (browsers,
/// phones) report IANA ids anyway.
/// </summary>
/// <remarks>
/// Why not <see cref="TimeZoneInfo.FindSystemTimeZoneById"/> alone: on Linux it opens the file named
/// by the id, so a wrong case fails, unless that zone is already in the process's case-insensitive
/// cache, which depends on what ran before. And <see cref="TimeZoneInfo.GetSystemTimeZones()"/> lists
/// only zone.tab's zones: no <c>Etc/GMT+5</c>, no links such as <c>Asia/Calcutta</c>, which ICU (and
/// so browsers) still reports. So the names come from the tz database directory itself, read once.
/// </remarks>
public static class TimeZones
{
    public const int MaxIdLength = 64;

    private static readonly Lazy<FrozenDictionary<string, string>> Names = new(LoadNames);

    /// <summary>The canonical IANA id for <paramref name="input"/> in any letter case; false for anything else.</summary>
    public static bool TryCanonicalize(string? input, [NotNullWhen(true)] out string? ianaId)
    {
        ianaId = null;
        if (string.IsNullOrEmpty(input) || input.Length > MaxIdLength || !Names.Value.TryGetValue(input, out var name)) return false;
        // Listed is not enough: the file must load as a zone on this host.
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(name, out var zone) || !zone.HasIanaId) return false;
        ianaId = name;
        return true;
    }

    /// <summary>
    /// The zone a stored id means. Never throws: a row written before ids were canonical is matched in
    /// any case, and one that still names no zone is read as UTC, so one bad row cannot fail requests.
    /// </summary>
    public static TimeZoneInfo Resolve(string? storedId)
    {
        if (string.IsNullOrEmpty(storedId)) return TimeZoneInfo.Utc;
        if (TimeZoneInfo.TryFindSystemTimeZoneById(storedId, out var zone)) return zone;
        return TryCanonicalize(storedId, out var id) && TimeZoneInfo.TryFindSystemTimeZoneById(id, out zone) ? zone : TimeZoneInfo.Utc;
    }

    /// <summary>Lower-invariant lookups of every zone name, from the tz directory where there is one.</summary>
    private static FrozenDictionary<string, string> LoadNames()
    {
        var root = Environment.GetEnvironmentVariable("TZDIR") is { Length: > 0 } dir ? dir : "/usr/share/zoneinfo";
        var names = Directory.Exists(root) ? ZoneFiles(root) : PlatformNames();
        names.Add("UTC"); // .NET knows UTC even on a host without tzdata
        // Ordinal order first, so if two names ever differed only in case the same one would win every time.
        return names.Order(StringComparer.Ordinal)
            .DistinctBy(n => n, StringComparer.OrdinalIgnoreCase)
            .ToFrozenDictionary(n => n, StringComparer.OrdinalIgnoreCase);
    }

    private static HashSet<string> ZoneFiles(string root)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<(string Path, string Prefix, int Depth)>([(root, "", 0)]);
        while (pending.TryPop(out var at))
        {
            IEnumerable<FileSystemInfo> entries;
            try { entries = new DirectoryInfo(at.Path).EnumerateFileSystemInfos().ToList(); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; }
            foreach (var entry in entries)
            {
                var name = at.Prefix + entry.Name;
                if (entry is DirectoryInfo sub)
                {
                    // posix/ and right/ repeat the database (right/ with leap seconds); a linked directory may loop.
                    if (at.Depth < 3 && sub.LinkTarget is null && !(at.Depth == 0 && entry.Name is "posix" or "right"))
                        pending.Push((sub.FullName, name + "/", at.Depth + 1));
                }
                else if (IsZoneName(entry.Name)) names.Add(name);
            }
        }
        return names;
    }

    /// <summary>
    /// Zone files are named with letters, digits and <c>_ + -</c>, starting with a letter. That leaves
    /// out the tables (<c>zone.tab</c>, <c>tzdata.zi</c>) and <c>+VERSION</c>; the rest are not zones
    /// a user lives in: the host's own zone, a template for POSIX strings, a zone with no offset.
    /// </summary>
    private static bool IsZoneName(string file) =>
        file.Length > 0 && char.IsAsciiLetter(file[0]) && file.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '+' or '-')
        && file is not ("localtime" or "posixrules" or "leapseconds" or "Factory" or "SECURITY");

    /// <summary>Without a tz directory (Windows), the IANA ids of the zones the platform lists.</summary>
    private static HashSet<string> PlatformNames()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var zone in TimeZoneInfo.GetSystemTimeZones())
        {
            if (zone.HasIanaId) names.Add(zone.Id);
            else if (TimeZoneInfo.TryConvertWindowsIdToIanaId(zone.Id, out var iana)) names.Add(iana);
        }
        return names;
    }
}
