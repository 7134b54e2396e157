using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace CoachFunctions.Tests.Channels.WeCom;

/// <summary>
/// Builds callbacks as WeCom does, written from WeCom's description rather than with the app's
/// crypto: AES-256-CBC (key = base64(EncodingAESKey + "="), IV = its first 16 bytes) over 16 random
/// bytes, the big-endian length, the message and the corp id, padded PKCS#7-style to 32 bytes;
/// msg_signature = sha1 of the sorted token, timestamp, nonce and ciphertext.
/// </summary>
public sealed class CallbackSigner(string token, string encodingAesKey)
{
    public static string NewEncodingAesKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=');

    public string Encrypt(string message, string receiveId)
    {
        var key = Convert.FromBase64String(encodingAesKey + "=");
        var body = RandomNumberGenerator.GetBytes(16)
            .Concat(BitConverter.IsLittleEndian ? BitConverter.GetBytes(BinaryPrimitives.ReverseEndianness(Encoding.UTF8.GetByteCount(message))) : BitConverter.GetBytes(Encoding.UTF8.GetByteCount(message)))
            .Concat(Encoding.UTF8.GetBytes(message)).Concat(Encoding.UTF8.GetBytes(receiveId)).ToList();
        var pad = 32 - body.Count % 32;
        body.AddRange(Enumerable.Repeat((byte)pad, pad));
        using var aes = Aes.Create();
        aes.Mode = CipherMode.CBC;
        aes.Padding = PaddingMode.None;
        aes.Key = key;
        aes.IV = key[..16];
        using var encryptor = aes.CreateEncryptor();
        return Convert.ToBase64String(encryptor.TransformFinalBlock([.. body], 0, body.Count));
    }

    public string Sign(string timestamp, string nonce, string encrypted) =>
        Convert.ToHexString(SHA1.HashData(Encoding.UTF8.GetBytes(string.Concat(new[] { token, timestamp, nonce, encrypted }.Order(StringComparer.Ordinal))))).ToLowerInvariant();

    /// <summary>The query string of a signed callback.</summary>
    public string Query(string timestamp, string nonce, string encrypted, string? signature = null) =>
        $"msg_signature={signature ?? Sign(timestamp, nonce, encrypted)}&timestamp={timestamp}&nonce={nonce}";

    /// <summary>The kf_msg_or_event callback WeCom posts when the kf account has new messages.</summary>
    public static string KfEvent(string corpId, string syncToken, string openKfId, long createTime) =>
        $"<xml><ToUserName><![CDATA[{corpId}]]></ToUserName><CreateTime>{createTime}</CreateTime><MsgType><![CDATA[event]]></MsgType>" +
        $"<Event><![CDATA[kf_msg_or_event]]></Event><Token><![CDATA[{syncToken}]]></Token><OpenKfId><![CDATA[{openKfId}]]></OpenKfId></xml>";

    public static string Envelope(string corpId, string encrypted) =>
        $"<xml><ToUserName><![CDATA[{corpId}]]></ToUserName><AgentID><![CDATA[]]></AgentID><Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>";
}
