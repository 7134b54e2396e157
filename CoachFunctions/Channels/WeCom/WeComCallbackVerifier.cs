using System.Globalization;

namespace CoachFunctions.Channels.WeCom;

/// <summary>Why a callback was turned away (safe to answer: it says nothing about the secrets).</summary>
public enum CallbackFailure { None, Malformed, Stale, BadSignature, Undecryptable, WrongReceiver }

/// <summary>
/// Opens one signed, encrypted callback value (the URL check's echostr, a message's Encrypt): the
/// timestamp within <see cref="WeComChannel.CallbackMaxAge"/> of now, the signature over token,
/// timestamp, nonce and the value, the decryption, and the receiveid equal to our corp id. Nothing
/// is decrypted before the signature holds.
/// </summary>
public static class WeComCallbackVerifier
{
    public static (string? Plain, CallbackFailure Failure) Open(WeComChannel channel, string? signature, string? timestamp, string? nonce, string? encrypted, DateTimeOffset now)
    {
        if (channel.Crypto is not { } crypto) throw new InvalidOperationException("WeCom is not configured.");
        if (string.IsNullOrEmpty(signature) || string.IsNullOrEmpty(nonce) || nonce.Length > 64 || string.IsNullOrEmpty(encrypted)
            || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > 4_102_444_800)
            return (null, CallbackFailure.Malformed);
        var sent = DateTimeOffset.FromUnixTimeSeconds(seconds);
        if ((now - sent).Duration() > WeComChannel.CallbackMaxAge) return (null, CallbackFailure.Stale);
        if (!crypto.Verify(signature, timestamp!, nonce, encrypted)) return (null, CallbackFailure.BadSignature);
        if (crypto.Decrypt(encrypted) is not { } opened) return (null, CallbackFailure.Undecryptable);
        if (!WeComCrypto.SameText(opened.ReceiveId, channel.Options.CorpId)) return (null, CallbackFailure.WrongReceiver);
        return (opened.Message, CallbackFailure.None);
    }
}
