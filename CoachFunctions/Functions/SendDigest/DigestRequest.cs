namespace CoachFunctions.Functions.SendDigest;

/// <summary>
/// The message on the email-digests queue: send <see cref="UserId"/>'s digest of local date
/// <see cref="Date"/> (yyyy-MM-dd), due at <see cref="SendAt"/>, this <see cref="Attempt"/> (from 1).
/// </summary>
public sealed record DigestRequest(string UserId, DateTimeOffset SendAt, string Date, int Attempt);
