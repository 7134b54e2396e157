using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using CoachFunctions.Coaching.Channels.WeCom;
using CoachFunctions.Storage;

namespace CoachFunctions.Channels.WeCom;

/// <summary>
/// What the WeCom channel keeps. In the user's own partition of UserData, row <c>wecom_session</c>:
/// the session and its counts (outside every range the summary reads, so writes here rebuild
/// nothing). In the <c>WeComChannel</c> table, one partition per key, as nothing here is read by
/// range: <c>ext_{external_userid}</c> → the user (the callback's way back), <c>link_{sha256(code)}</c>
/// → a pending link code (only its hash is stored), <c>cursor_{open_kfid}</c> → the sync_msg cursor,
/// <c>template_{name}</c> → an admin's message template.
/// </summary>
public sealed class WeComStore(StorageClients clients, StorageBootstrap bootstrap)
{
    public const string TableName = "WeComChannel";
    private const string SessionRow = "wecom_session";
    private const string Row = "";

    private readonly object _gate = new();
    private Task? _created;

    private TableClient Users => clients.Table(StorageNames.UserDataTable);
    private TableClient Channel => clients.Table(TableName);

    /// <summary>Ids WeCom hands out are [0-9a-zA-Z_-]; anything else never becomes a key.</summary>
    public static bool IsWeComId(string? id) => id is { Length: > 0 and <= 128 } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');

    // ---- the session, on the user's partition -------------------------------------------------------

    public async Task<(WeComSession Session, ETag ETag)?> GetSessionAsync(string userId, CancellationToken ct)
    {
        await bootstrap.EnsureAsync(ct);
        var e = await Users.GetEntityIfExistsAsync<TableEntity>(userId, SessionRow, cancellationToken: ct);
        return e.HasValue && e.Value is { } row ? (ToSession(row), row.ETag) : null;
    }

    /// <summary>Replaces the session if nobody changed it since <paramref name="etag"/>; false when somebody did.</summary>
    public async Task<bool> TryReplaceSessionAsync(string userId, WeComSession session, ETag etag, CancellationToken ct)
    {
        try
        {
            await Users.UpdateEntityAsync(ToEntity(userId, session), etag, TableUpdateMode.Replace, ct);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412) { return false; }
    }

    /// <summary>Applies <paramref name="change"/> to the stored session (ETag-guarded, retried on a race); null when there is none.</summary>
    public async Task<WeComSession?> UpdateSessionAsync(string userId, Func<WeComSession, WeComSession> change, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 8; attempt++)
        {
            if (await GetSessionAsync(userId, ct) is not { } current) return null;
            var next = change(current.Session);
            if (next == current.Session || await TryReplaceSessionAsync(userId, next, current.ETag, ct)) return next;
        }
        throw new InvalidOperationException("The WeCom session kept changing under eight attempts to update it.");
    }

    // ---- external_userid → user, and binding -----------------------------------------------------------

    public async Task<string?> FindUserAsync(string externalUserId, CancellationToken ct)
    {
        await EnsureAsync(ct);
        var e = await Channel.GetEntityIfExistsAsync<TableEntity>("ext_" + externalUserId, Row, cancellationToken: ct);
        return e.HasValue ? e.Value!.GetString("UserId") : null;
    }

    /// <summary>
    /// Binds the WeChat user to our user, both ways. A WeChat user bound to someone else before is
    /// taken from them (their session row goes, so nothing meant for them reaches the new owner),
    /// and our user's earlier WeChat user is let go.
    /// </summary>
    public async Task BindAsync(string userId, string openKfId, string externalUserId, DateTimeOffset at, CancellationToken ct)
    {
        await EnsureAsync(ct);
        if (await FindUserAsync(externalUserId, ct) is { } previous && previous != userId
            && await GetSessionAsync(previous, ct) is { } theirs && theirs.Session.ExternalUserId == externalUserId)
            await DeleteIfUnchangedAsync(Users, previous, SessionRow, theirs.ETag, ct);

        var mine = await GetSessionAsync(userId, ct);
        if (mine is { } m && m.Session.ExternalUserId != externalUserId)
        {
            var old = await Channel.GetEntityIfExistsAsync<TableEntity>("ext_" + m.Session.ExternalUserId, Row, cancellationToken: ct);
            if (old.HasValue && old.Value!.GetString("UserId") == userId) await DeleteIfUnchangedAsync(Channel, old.Value.PartitionKey, Row, old.Value.ETag, ct);
        }
        await Channel.UpsertEntityAsync(new TableEntity("ext_" + externalUserId, Row) { ["UserId"] = userId, ["LinkedAt"] = at }, TableUpdateMode.Replace, ct);
        // The same WeChat user again keeps its window and counts; a new one starts without a window.
        var session = mine is { } same && same.Session.ExternalUserId == externalUserId
            ? same.Session with { OpenKfId = openKfId }
            : new WeComSession(openKfId, externalUserId);
        await Users.UpsertEntityAsync(ToEntity(userId, session), TableUpdateMode.Replace, ct);
    }

    // ---- link codes --------------------------------------------------------------------------------------

    /// <summary>A fresh code for <paramref name="userId"/>: 128 random bits, base64url (WeCom's scene_param alphabet); only its hash is stored.</summary>
    public async Task<string> CreateLinkCodeAsync(string userId, DateTimeOffset expiresAt, CancellationToken ct)
    {
        await EnsureAsync(ct);
        var code = Base64Url(RandomNumberGenerator.GetBytes(16));
        await Channel.AddEntityAsync(new TableEntity(LinkKey(code), Row) { ["UserId"] = userId, ["ExpiresAt"] = expiresAt }, ct);
        return code;
    }

    /// <summary>The user a code was made for, once: the delete is conditional on the row read, so of two callers only one gets it. Null for an unknown, used or expired code.</summary>
    public async Task<string?> ConsumeLinkCodeAsync(string code, DateTimeOffset now, CancellationToken ct)
    {
        await EnsureAsync(ct);
        var found = await Channel.GetEntityIfExistsAsync<TableEntity>(LinkKey(code), Row, cancellationToken: ct);
        if (!found.HasValue) return null;
        var row = found.Value!;
        if (!await DeleteIfUnchangedAsync(Channel, row.PartitionKey, Row, row.ETag, ct)) return null;
        return row.GetDateTimeOffset("ExpiresAt") is { } until && now < until ? row.GetString("UserId") : null;
    }

    private static string LinkKey(string code) => "link_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(code)));

    // ---- sync cursors and templates -------------------------------------------------------------------------

    public async Task<string?> GetCursorAsync(string openKfId, CancellationToken ct)
    {
        await EnsureAsync(ct);
        var e = await Channel.GetEntityIfExistsAsync<TableEntity>("cursor_" + openKfId, Row, cancellationToken: ct);
        return e.HasValue ? e.Value!.GetString("Cursor") : null;
    }

    public async Task SaveCursorAsync(string openKfId, string cursor, CancellationToken ct) =>
        await Channel.UpsertEntityAsync(new TableEntity("cursor_" + openKfId, Row) { ["Cursor"] = cursor }, TableUpdateMode.Replace, ct);

    public async Task<(string Text, DateTimeOffset UpdatedAt)?> GetTemplateAsync(string name, CancellationToken ct)
    {
        await EnsureAsync(ct);
        var e = await Channel.GetEntityIfExistsAsync<TableEntity>("template_" + name, Row, cancellationToken: ct);
        return e.HasValue && e.Value!.GetString("Text") is { } text ? (text, e.Value.GetDateTimeOffset("UpdatedAt") ?? DateTimeOffset.MinValue) : null;
    }

    public async Task SaveTemplateAsync(string name, string text, DateTimeOffset at, CancellationToken ct)
    {
        await EnsureAsync(ct);
        await Channel.UpsertEntityAsync(new TableEntity("template_" + name, Row) { ["Text"] = text, ["UpdatedAt"] = at }, TableUpdateMode.Replace, ct);
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    private static async Task<bool> DeleteIfUnchangedAsync(TableClient table, string pk, string rk, ETag etag, CancellationToken ct)
    {
        try
        {
            await table.DeleteEntityAsync(pk, rk, etag, ct);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412) { return false; }
    }

    private Task EnsureAsync(CancellationToken ct)
    {
        lock (_gate)
        {
            if (_created is null || _created.IsFaulted || _created.IsCanceled) _created = CreateAsync(ct);
            return _created;
        }
    }

    private async Task CreateAsync(CancellationToken ct)
    {
        await bootstrap.EnsureAsync(ct);
        await Channel.CreateIfNotExistsAsync(ct);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static TableEntity ToEntity(string userId, WeComSession s) => new(userId, SessionRow)
    {
        ["OpenKfId"] = s.OpenKfId,
        ["ExternalUserId"] = s.ExternalUserId,
        ["LastInboundAt"] = s.LastInboundAt,
        ["SentInWindow"] = s.SentInWindow,
        ["SentDay"] = s.SentDay?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["SentOnDay"] = s.SentOnDay,
    };

    private static WeComSession ToSession(TableEntity e) => new(
        e.GetString("OpenKfId") ?? "",
        e.GetString("ExternalUserId") ?? "",
        e.GetDateTimeOffset("LastInboundAt"),
        e.GetInt32("SentInWindow") ?? 0,
        e.GetString("SentDay") is { } d ? DateOnly.ParseExact(d, "yyyy-MM-dd", CultureInfo.InvariantCulture) : null,
        e.GetInt32("SentOnDay") ?? 0);
}
