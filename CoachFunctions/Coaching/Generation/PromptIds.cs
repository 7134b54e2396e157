using System.Security.Cryptography;
using System.Text;

namespace CoachFunctions.Coaching.Generation;

/// <summary>
/// Prompt ids sort newest first as plain strings (inverted ticks), and end in a hash of the
/// deduplication key so an id says which moment it belongs to.
/// </summary>
public static class PromptIds
{
    public static string Create(DateTimeOffset createdAt, string dedupeKey)
    {
        var inverted = DateTimeOffset.MaxValue.UtcTicks - createdAt.UtcTicks;
        return $"{inverted:D19}{DedupeHash(dedupeKey)[..8]}";
    }

    /// <summary>A fixed-length, key-safe name for a deduplication key (which may hold user text).</summary>
    public static string DedupeHash(string dedupeKey) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(dedupeKey)))[..32];

    public static bool IsWellFormed(string? id) =>
        id is { Length: 27 } && id.Take(19).All(char.IsAsciiDigit) && id.Skip(19).All(char.IsAsciiHexDigitLower);
}
