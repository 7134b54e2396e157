namespace CoachFunctions.Functions.SendDigest;

/// <summary>
/// The message on the email-digests queue: send <see cref="UserId"/>'s digest of local date
/// <see cref="Date"/> (yyyy-MM-dd), due at <see cref="SendAt"/>, this <see cref="Attempt"/> (from 1).
/// <see cref="Nonce"/> is fresh per planned send and kept by its retries: the digest's claim
/// (<c>DigestStore.TryClaimAsync</c>) lets one message send it when two were queued for it.
/// </summary>
public sealed record DigestRequest(string UserId, DateTimeOffset SendAt, string Date, int Attempt, string? Nonce = null);
