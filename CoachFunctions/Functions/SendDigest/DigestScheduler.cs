using System.Globalization;
using CoachFunctions.Coaching;
using CoachFunctions.Functions.GeneratePrompt;
using CoachFunctions.Hosting;
using CoachFunctions.Storage;
using CoachFunctions.Storage.Tables;

namespace CoachFunctions.Functions.SendDigest;

/// <summary>
/// Puts a low-priority e-mail prompt in the user's next digest: the next instant at their preferred
/// local time (<see cref="UserPreferences.PreferredTime"/>, their zone), always less than a day away.
/// The first prompt for a send queues one message hidden until then; later ones find it planned and
/// only add their row. No timer scans for due digests: each waits in the queue for its own moment.
/// </summary>
public sealed class DigestScheduler(UserDataStore users, DigestStore digests, StorageClients storage, StorageBootstrap bootstrap)
{
    public async Task AddAsync(CoachingPrompt prompt, DateTimeOffset now, CancellationToken ct)
    {
        var preferences = await users.GetPreferencesAsync(prompt.UserId, ct);
        var clock = new LocalClock(now, preferences.Zone);
        var sendAt = clock.NextAt(preferences.PreferredTime);
        var date = clock.DateOf(sendAt).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var (planned, _) = await digests.GetPlanAsync(prompt.UserId, ct);
        var plan = planned != sendAt;
        if (plan)
        {
            // The message first, then the plan: a crash between leaves a message that finds nothing to
            // send, never a plan with no message (which would strand the day's prompts).
            await bootstrap.EnsureAsync(ct);
            await storage.Queue(StorageNames.EmailDigestsQueue).SendMessageAsync(CoachJson.Serialize(new DigestRequest(prompt.UserId, sendAt, date, 1, Guid.NewGuid().ToString("N"))),
                visibilityTimeout: DeliveryScheduler.VisibilityDelay(sendAt - now), cancellationToken: ct);
        }
        await digests.AddAsync(prompt, sendAt, date, plan, ct);
    }

    /// <summary>Queues the digest message again (a retry, or one that surfaced early), hidden for <paramref name="delay"/>.</summary>
    public async Task RequeueAsync(DigestRequest request, TimeSpan delay, CancellationToken ct)
    {
        await bootstrap.EnsureAsync(ct);
        await storage.Queue(StorageNames.EmailDigestsQueue).SendMessageAsync(CoachJson.Serialize(request),
            visibilityTimeout: DeliveryScheduler.VisibilityDelay(delay), cancellationToken: ct);
    }
}
