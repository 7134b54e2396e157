namespace CoachFunctions.Storage;

/// <summary>
/// The parts of an Azure Storage connection string that the Table and Queue clients need.
/// Accepts <c>UseDevelopmentStorage=true</c>, the account-key form with or without explicit
/// endpoints, and the SAS form (endpoints plus <c>SharedAccessSignature</c>).
/// </summary>
public sealed class StorageConnectionString
{
    /// <summary>The well-known Azurite / storage emulator account.</summary>
    public const string DevelopmentAccountName = "devstoreaccount1";

    /// <summary>The well-known (public, not secret) key of the emulator account.</summary>
    public const string DevelopmentAccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private StorageConnectionString(string accountName, Uri tableEndpoint, Uri queueEndpoint, string? accountKey, string? sharedAccessSignature)
    {
        AccountName = accountName;
        TableEndpoint = tableEndpoint;
        QueueEndpoint = queueEndpoint;
        AccountKey = accountKey;
        SharedAccessSignature = sharedAccessSignature;
    }

    public string AccountName { get; }
    public Uri TableEndpoint { get; }
    public Uri QueueEndpoint { get; }
    public string? AccountKey { get; }

    /// <summary>The SAS token (without a leading '?') when the connection string carries one.</summary>
    public string? SharedAccessSignature { get; }

    public static StorageConnectionString Parse(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // Split at the first '=' only: account keys and SAS tokens contain '=' themselves.
            var eq = part.IndexOf('=');
            if (eq <= 0) throw new FormatException($"Connection string segment '{Redact(part)}' is not a Name=Value pair.");
            settings[part[..eq].Trim()] = part[(eq + 1)..].Trim();
        }

        if (settings.TryGetValue("UseDevelopmentStorage", out var dev) && bool.TryParse(dev, out var useDev) && useDev)
            return Development(settings);

        settings.TryGetValue("AccountName", out var accountName);
        var accountKey = settings.GetValueOrDefault("AccountKey");
        var sas = settings.GetValueOrDefault("SharedAccessSignature")?.TrimStart('?');
        var protocol = settings.GetValueOrDefault("DefaultEndpointsProtocol") ?? "https";
        var suffix = settings.GetValueOrDefault("EndpointSuffix") ?? "core.windows.net";

        var table = ExplicitEndpoint(settings, "TableEndpoint");
        var queue = ExplicitEndpoint(settings, "QueueEndpoint");
        accountName ??= AccountFromEndpoint(table) ?? AccountFromEndpoint(queue);
        if (string.IsNullOrEmpty(accountName))
            throw new FormatException("Connection string has neither AccountName nor an endpoint that names the account.");
        if (string.IsNullOrEmpty(accountKey) && string.IsNullOrEmpty(sas))
            throw new FormatException("Connection string has neither AccountKey nor SharedAccessSignature.");

        table ??= new Uri($"{protocol}://{accountName}.table.{suffix}");
        queue ??= new Uri($"{protocol}://{accountName}.queue.{suffix}");
        return new StorageConnectionString(accountName, table, queue, string.IsNullOrEmpty(accountKey) ? null : accountKey, sas);
    }

    private static StorageConnectionString Development(Dictionary<string, string> settings)
    {
        // DevelopmentStorageProxyUri moves the emulator off loopback; the ports stay the emulator's.
        var host = settings.TryGetValue("DevelopmentStorageProxyUri", out var proxy)
            ? new Uri(proxy).GetLeftPart(UriPartial.Scheme) + new Uri(proxy).Host
            : "http://127.0.0.1";
        return new StorageConnectionString(
            DevelopmentAccountName,
            new Uri($"{host}:10002/{DevelopmentAccountName}"),
            new Uri($"{host}:10001/{DevelopmentAccountName}"),
            DevelopmentAccountKey,
            null);
    }

    private static Uri? ExplicitEndpoint(Dictionary<string, string> settings, string name)
    {
        if (!settings.TryGetValue(name, out var value) || string.IsNullOrEmpty(value)) return null;
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri))
            throw new FormatException($"{name} '{value}' is not an absolute URI.");
        return uri;
    }

    /// <summary>
    /// Path-style endpoints (the emulator, IP addresses) carry the account as the first path
    /// segment; host-style endpoints carry it as the first DNS label.
    /// </summary>
    private static string? AccountFromEndpoint(Uri? endpoint)
    {
        if (endpoint is null) return null;
        var firstSegment = endpoint.AbsolutePath.Trim('/').Split('/')[0];
        if (firstSegment.Length > 0) return firstSegment;
        return endpoint.HostNameType == UriHostNameType.Dns && endpoint.Host.Contains('.')
            ? endpoint.Host[..endpoint.Host.IndexOf('.')]
            : null;
    }

    private static string Redact(string segment) =>
        segment.StartsWith("AccountKey", StringComparison.OrdinalIgnoreCase) ? "AccountKey=***" : segment;
}
