namespace CoachFunctions.Coaching.Channels;

/// <summary>
/// Seed 000's channel choice (spec §4): high priority goes in-app, else push, else e-mail; medium
/// push, else in-app; low e-mail, else in-app. WeCom is a push-class channel: where the order says
/// push, WeCom is tried first, then the push webhook. A channel is tried only if the user accepts it
/// and can be reached on it; in-app ends every order, since the prompt is in the user's list for
/// catch-up whatever happens, so a prompt is never lost.
/// </summary>
public static class ChannelDispatch
{
    private static readonly string[] PushClass = [DeliveryChannels.WeCom, DeliveryChannels.Push];

    /// <summary>The channels the priority names, in order, before in-app is accepted or not.</summary>
    private static IEnumerable<string> Wanted(Priority priority, IReadOnlyCollection<string> accepted) => priority switch
    {
        // High goes in-app when the user accepts it there; in-app is always reachable, so nothing follows it.
        Priority.High when accepted.Contains(DeliveryChannels.InApp) => [DeliveryChannels.InApp],
        Priority.High => [.. PushClass, DeliveryChannels.Email],
        Priority.Medium => PushClass,
        _ => [DeliveryChannels.Email],
    };

    /// <summary>
    /// The channels whose reachability decides the order: accepted, not in-app, and named by the
    /// priority. Empty for the default user (in-app only), so the caller reads nothing to dispatch.
    /// </summary>
    public static IReadOnlyList<string> Candidates(Priority priority, IReadOnlyCollection<string> accepted) =>
        [.. Wanted(priority, accepted).Where(c => c != DeliveryChannels.InApp && accepted.Contains(c))];

    /// <summary>The order to try: the accepted, reachable candidates, then in-app, always last.</summary>
    public static IReadOnlyList<string> Order(Priority priority, IReadOnlyCollection<string> accepted, Func<string, bool> reachable) =>
        [.. Candidates(priority, accepted).Where(reachable), DeliveryChannels.InApp];

    /// <summary>What follows <paramref name="channel"/> in <paramref name="order"/>; in-app when it is not there (it always comes last).</summary>
    public static string Next(IReadOnlyList<string> order, string channel)
    {
        var i = order.ToList().IndexOf(channel);
        return i >= 0 && i + 1 < order.Count ? order[i + 1] : DeliveryChannels.InApp;
    }
}
