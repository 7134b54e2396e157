using System.Data.Common;
using System.Security.Cryptography;
using CoachFunctions.LocalHost.Settings;

namespace CoachFunctions.LocalHost.SignalR;

/// <summary>
/// The stand-in's endpoint and access key. The key is random per run unless the settings'
/// AzureSignalRConnectionString points at this host (then its key is used). A connection string for
/// a real service is left alone: the app then talks to Azure, and the stand-in is idle.
/// </summary>
internal sealed record SignalRServiceSettings(string Endpoint, string AccessKey, bool UsedByApp)
{
    public const string SettingName = "AzureSignalRConnectionString";

    public string ConnectionString => $"Endpoint={Endpoint};AccessKey={AccessKey};Version=1.0;";

    public string ClientUrl(string hub) => $"{Endpoint}/client/?hub={hub.ToLowerInvariant()}";

    public static SignalRServiceSettings Create(AppSettings settings, Uri listenUrl)
    {
        var endpoint = listenUrl.GetLeftPart(UriPartial.Authority);
        var given = settings.Get(SettingName);
        if (given is not null && TryParse(given, out var givenEndpoint, out var givenKey))
        {
            if (IsLocal(givenEndpoint)) return new SignalRServiceSettings(givenEndpoint.GetLeftPart(UriPartial.Authority), givenKey, true);
            return new SignalRServiceSettings(endpoint, NewKey(), false);
        }
        return new SignalRServiceSettings(endpoint, NewKey(), true);
    }

    private static bool TryParse(string connectionString, out Uri endpoint, out string accessKey)
    {
        endpoint = null!;
        accessKey = "";
        try
        {
            var parts = new DbConnectionStringBuilder { ConnectionString = connectionString };
            if (!parts.TryGetValue("Endpoint", out var e) || !parts.TryGetValue("AccessKey", out var k)) return false;
            if (!Uri.TryCreate((string)e, UriKind.Absolute, out var uri) || ((string)k).Contains('<')) return false;
            if (parts.TryGetValue("Port", out var port) && int.TryParse((string)port, out var p)) uri = new UriBuilder(uri) { Port = p }.Uri;
            endpoint = uri;
            accessKey = (string)k;
            return accessKey.Length > 0;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static bool IsLocal(Uri endpoint) => endpoint.IsLoopback;

    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
}
