using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace CoachFunctions.Channels.WeCom;

/// <summary>
/// WeCom's callback scheme. Signature: SHA-1 of the token, timestamp, nonce and encrypted text,
/// sorted and concatenated, in lower-case hex. Encryption: AES-256-CBC with key =
/// base64(EncodingAESKey + "="), IV = the key's first 16 bytes, PKCS#7 padding to 32-byte blocks
/// (not AES's 16, so .NET's padding cannot be used); the plaintext is 16 random bytes, the message
/// length (4 bytes, big-endian), the message and the receiveid (the corp id).
/// </summary>
public sealed class WeComCrypto
{
    private const int PadBlock = 32;
    private readonly byte[] _key;
    private readonly byte[] _token;

    public WeComCrypto(string token, string encodingAesKey)
    {
        if (!TryReadKey(encodingAesKey, out var key)) throw new ArgumentException("Not a WeCom EncodingAESKey.", nameof(encodingAesKey));
        _key = key;
        _token = Encoding.UTF8.GetBytes(token);
    }

    public static bool TryReadKey(string encodingAesKey, out byte[] key)
    {
        key = [];
        if (encodingAesKey.Length != 43) return false;
        try { key = Convert.FromBase64String(encodingAesKey + "="); }
        catch (FormatException) { return false; }
        return key.Length == 32;
    }

    public string Signature(string timestamp, string nonce, string encrypted) =>
        Signature(Encoding.UTF8.GetString(_token), timestamp, nonce, encrypted);

    public static string Signature(string token, string timestamp, string nonce, string encrypted)
    {
        string[] parts = [token, timestamp, nonce, encrypted];
        Array.Sort(parts, StringComparer.Ordinal);
        return Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(string.Concat(parts))));
    }

    /// <summary>Whether <paramref name="signature"/> is right, compared in constant time (it is derived from the token).</summary>
    public bool Verify(string? signature, string timestamp, string nonce, string encrypted)
    {
        if (signature is null) return false;
        var expected = Encoding.ASCII.GetBytes(Signature(timestamp, nonce, encrypted));
        var given = Encoding.ASCII.GetBytes(signature.ToLowerInvariant());
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    /// <summary>The message and its receiveid, or null for anything that does not decrypt to WeCom's layout.</summary>
    public (string Message, string ReceiveId)? Decrypt(string encrypted)
    {
        byte[] cipher;
        try { cipher = Convert.FromBase64String(encrypted); }
        catch (FormatException) { return null; }
        if (cipher.Length == 0 || cipher.Length % PadBlock != 0) return null;
        byte[] plain;
        using (var aes = Aes.Create())
        {
            aes.Key = _key;
            try { plain = aes.DecryptCbc(cipher, _key.AsSpan(0, 16), PaddingMode.None); }
            catch (CryptographicException) { return null; }
        }
        int pad = plain[^1];
        if (pad is < 1 or > PadBlock || pad > plain.Length) return null;
        var body = plain.AsSpan(0, plain.Length - pad);
        if (body.Length < 20) return null;
        var length = BinaryPrimitives.ReadInt32BigEndian(body.Slice(16, 4));
        if (length < 0 || length > body.Length - 20) return null;
        try
        {
            var strict = new UTF8Encoding(false, throwOnInvalidBytes: true);
            return (strict.GetString(body.Slice(20, length)), strict.GetString(body[(20 + length)..]));
        }
        catch (DecoderFallbackException) { return null; }
    }

    /// <summary>The encrypted form of a message (for passive replies, and the tests' callbacks).</summary>
    public string Encrypt(string message, string receiveId)
    {
        var msg = Encoding.UTF8.GetBytes(message);
        var id = Encoding.UTF8.GetBytes(receiveId);
        var length = 20 + msg.Length + id.Length;
        var pad = PadBlock - length % PadBlock;
        var plain = new byte[length + pad];
        RandomNumberGenerator.Fill(plain.AsSpan(0, 16));
        BinaryPrimitives.WriteInt32BigEndian(plain.AsSpan(16, 4), msg.Length);
        msg.CopyTo(plain, 20);
        id.CopyTo(plain, 20 + msg.Length);
        plain.AsSpan(length).Fill((byte)pad);
        using var aes = Aes.Create();
        aes.Key = _key;
        return Convert.ToBase64String(aes.EncryptCbc(plain, _key.AsSpan(0, 16), PaddingMode.None));
    }

    /// <summary>Constant-time equality of two strings (the receiveid against the corp id).</summary>
    public static bool SameText(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
}
