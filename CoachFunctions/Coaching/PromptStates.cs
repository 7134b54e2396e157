namespace CoachFunctions.Coaching;

/// <summary>Spec §4: pending → scheduled → delivered → seen → responded, or expired, dismissed, failed.</summary>
public static class PromptStates
{
    public const string Pending = "pending";
    public const string Scheduled = "scheduled";
    public const string Delivered = "delivered";
    public const string Seen = "seen";
    public const string Responded = "responded";
    public const string Expired = "expired";
    public const string Dismissed = "dismissed";
    public const string Failed = "failed";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        Pending, Scheduled, Delivered, Seen, Responded, Expired, Dismissed, Failed,
    };

    /// <summary>States in which the user can still answer the prompt.</summary>
    public static bool IsOpen(string state) => state is Pending or Scheduled or Delivered or Seen;
}
