using System.Text.Json;

namespace CoachFunctions.Channels.WeCom;

/// <summary>What one callback's sync brought: messages read, sessions linked, inbound messages recorded against a user.</summary>
public sealed record InboxResult(int Messages, int Linked, int Inbound);

/// <summary>
/// After a <c>kf_msg_or_event</c> callback: pulls the kf account's new messages with
/// <c>kf/sync_msg</c> (the callback's token, our cursor, saved after each page so a retry resumes)
/// and records, against our user, each customer message (the 48-hour window opens and the count
/// restarts) and each <c>enter_session</c> whose scene_param is a live link code (the binding).
/// A message from a WeChat user nobody linked is read and dropped.
/// </summary>
public sealed class WeComInbox(WeComApiClient api, WeComStore store, TimeProvider time, ILogger<WeComInbox> log)
{
    /// <summary>origin 3: sent by the WeChat customer (4 is a system event, 5 a servicer).</summary>
    private const int FromCustomer = 3;
    private const int MaxPages = 20;

    public async Task<InboxResult> SyncAsync(string openKfId, string callbackToken, CancellationToken ct)
    {
        var cursor = await store.GetCursorAsync(openKfId, ct);
        int messages = 0, linked = 0, inbound = 0;
        for (var page = 0; page < MaxPages; page++)
        {
            var reply = await api.SyncMessagesAsync(cursor, callbackToken, openKfId, ct);
            if (reply.ErrCode != 0) throw new WeComException($"kf/sync_msg refused (errcode {reply.ErrCode})", reply.ErrCode == WeComErrors.SystemBusy, reply.ErrCode);
            if (reply.Body.TryGetProperty("msg_list", out var list) && list.ValueKind == JsonValueKind.Array)
                foreach (var message in list.EnumerateArray())
                {
                    messages++;
                    switch (await HandleAsync(message, openKfId, ct))
                    {
                        case Handled.Linked: linked++; break;
                        case Handled.Inbound: inbound++; break;
                    }
                }
            if (reply.String("next_cursor") is { Length: > 0 } next && next != cursor)
            {
                cursor = next;
                await store.SaveCursorAsync(openKfId, cursor, ct);
            }
            if (reply.Number("has_more") != 1) break;
        }
        log.LogInformation("WeCom sync for a kf account: {Messages} messages, {Linked} linked, {Inbound} inbound.", messages, linked, inbound);
        return new InboxResult(messages, linked, inbound);
    }

    private enum Handled { Ignored, Linked, Inbound }

    private async Task<Handled> HandleAsync(JsonElement message, string openKfId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var kf = Text(message, "open_kfid") ?? openKfId;
        if (Text(message, "msgtype") == "event")
        {
            if (!message.TryGetProperty("event", out var e) || Text(e, "event_type") != "enter_session") return Handled.Ignored;
            var ext = Text(e, "external_userid");
            var kfOfEvent = Text(e, "open_kfid") ?? kf;
            if (!WeComStore.IsWeComId(ext) || !WeComStore.IsWeComId(kfOfEvent) || Text(e, "scene_param") is not { } code || !WeComStore.IsWeComId(code)) return Handled.Ignored;
            if (await store.ConsumeLinkCodeAsync(code, now, ct) is not { } userId) return Handled.Ignored;
            await store.BindAsync(userId, kfOfEvent, ext!, now, ct);
            return Handled.Linked;
        }
        if (message.TryGetProperty("origin", out var origin) && origin.ValueKind == JsonValueKind.Number && origin.GetInt32() == FromCustomer)
        {
            var ext = Text(message, "external_userid");
            if (!WeComStore.IsWeComId(ext) || !WeComStore.IsWeComId(kf) || await store.FindUserAsync(ext!, ct) is not { } userId) return Handled.Ignored;
            // WeCom's clock starts the window; one ahead of ours is taken as now, so the window never outlasts what WeCom allows.
            var sent = message.TryGetProperty("send_time", out var t) && t.TryGetInt64(out var s) ? DateTimeOffset.FromUnixTimeSeconds(s) : now;
            var at = sent < now ? sent : now;
            var updated = await store.UpdateSessionAsync(userId, session => session.ExternalUserId == ext ? session.WithInbound(at) with { OpenKfId = kf } : session, ct);
            return updated is not null ? Handled.Inbound : Handled.Ignored;
        }
        return Handled.Ignored;
    }

    private static string? Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
