using System.Security.Cryptography;
using System.Text;

namespace CoachFunctions.Channels.Webhooks;

/// <summary>
/// Standard Webhooks signing: <c>webhook-signature: v1,</c> + base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}")),
/// where the key is the secret's base64 part decoded and the timestamp is unix seconds. A receiver
/// recomputes it over the raw body and compares in constant time (README, "Channels").
/// </summary>
public static class WebhookSignature
{
    public static string Sign(byte[] key, string id, long timestamp, string body)
    {
        var mac = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}"));
        return "v1," + Convert.ToBase64String(mac);
    }
}
