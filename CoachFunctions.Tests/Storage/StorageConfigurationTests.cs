using Azure.Identity;
using Azure.Storage.Queues;
using CoachFunctions.Hosting;
using CoachFunctions.Storage;
using Microsoft.Extensions.Configuration;

namespace CoachFunctions.Tests.Storage;

/// <summary>
/// How <c>AzureWebJobsStorage</c> becomes SDK clients: connection strings and the identity-based
/// settings the Functions host reads. Clients are only built and inspected; nothing goes on the network.
/// </summary>
public sealed class StorageConfigurationTests
{
    private const string DevKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static StorageClients FromSettings(params (string Key, string Value)[] settings) =>
        StorageClients.FromConfiguration(Configuration(settings), QueueMessageEncoding.Base64);

    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();

    [Fact]
    public void Development_storage_means_azurite_on_its_loopback_ports()
    {
        var clients = FromSettings(("AzureWebJobsStorage", "UseDevelopmentStorage=true"));

        Assert.Equal(new Uri("http://127.0.0.1:10002/devstoreaccount1/UserData"), clients.Table(StorageNames.UserDataTable).Uri);
        Assert.Equal(new Uri("http://127.0.0.1:10001/devstoreaccount1/scan-shards"), clients.Queue(StorageNames.ScanShardsQueue).Uri);
        Assert.Equal("devstoreaccount1", clients.TableService.AccountName);
        Assert.Equal("devstoreaccount1", clients.QueueService.AccountName);
    }

    [Fact]
    public void Explicit_endpoints_of_a_connection_string_are_used_as_given()
    {
        var clients = FromSettings(("AzureWebJobsStorage",
            $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevKey};" +
            "QueueEndpoint=http://127.0.0.1:41001/devstoreaccount1;TableEndpoint=http://127.0.0.1:41002/devstoreaccount1;"));

        Assert.Equal(new Uri("http://127.0.0.1:41002/devstoreaccount1/UserSummaries"), clients.Table(StorageNames.UserSummariesTable).Uri);
        Assert.Equal(new Uri("http://127.0.0.1:41001/devstoreaccount1/deliveries"), clients.Queue(StorageNames.DeliveriesQueue).Uri);
    }

    [Fact]
    public void An_account_key_connection_string_reaches_the_public_cloud_endpoints()
    {
        var clients = FromSettings(("AzureWebJobsStorage", $"DefaultEndpointsProtocol=https;AccountName=coachprod;AccountKey={DevKey};EndpointSuffix=core.windows.net"));

        Assert.Equal(new Uri("https://coachprod.table.core.windows.net/CoachStats"), clients.Table(StorageNames.StatsTable).Uri);
        Assert.Equal(new Uri("https://coachprod.queue.core.windows.net/detections"), clients.Queue(StorageNames.DetectionsQueue).Uri);
        Assert.Equal("coachprod", clients.QueueService.AccountName);
    }

    [Fact]
    public void Service_uris_give_identity_based_clients()
    {
        var clients = FromSettings(
            ("AzureWebJobsStorage:tableServiceUri", "https://coachid.table.core.windows.net"),
            ("AzureWebJobsStorage:queueServiceUri", "https://coachid.queue.core.windows.net/"),
            ("AzureWebJobsStorage:credential", "managedidentity"));

        Assert.Equal(new Uri("https://coachid.table.core.windows.net/UserData"), clients.Table(StorageNames.UserDataTable).Uri);
        Assert.Equal(new Uri("https://coachid.queue.core.windows.net/scan-shards"), clients.Queue(StorageNames.ScanShardsQueue).Uri);
        Assert.Equal("coachid", clients.TableService.AccountName);
    }

    [Fact]
    public void An_account_name_alone_means_the_public_cloud_service_uris()
    {
        var identity = StorageIdentity.Read(Configuration(("AzureWebJobsStorage:accountName", "coachacct")).GetSection("AzureWebJobsStorage"))!;

        Assert.Equal(new Uri("https://coachacct.table.core.windows.net"), identity.TableServiceUri);
        Assert.Equal(new Uri("https://coachacct.queue.core.windows.net"), identity.QueueServiceUri);
        var clients = FromSettings(("AzureWebJobsStorage:accountName", "coachacct"));
        Assert.Equal(new Uri("https://coachacct.queue.core.windows.net/deliveries"), clients.Queue(StorageNames.DeliveriesQueue).Uri);
    }

    [Fact]
    public void A_service_uri_wins_over_the_account_name_for_its_service_only()
    {
        var identity = StorageIdentity.Read(Configuration(
            ("AzureWebJobsStorage:accountName", "coachacct"),
            ("AzureWebJobsStorage:tableServiceUri", "https://tables.example.test")).GetSection("AzureWebJobsStorage"))!;

        Assert.Equal(new Uri("https://tables.example.test"), identity.TableServiceUri);
        Assert.Equal(new Uri("https://coachacct.queue.core.windows.net"), identity.QueueServiceUri);
    }

    [Fact]
    public void A_connection_string_wins_over_identity_settings_as_in_the_functions_host()
    {
        // The host and the app must reach the same account, so the app reads the setting by the host's rule.
        var clients = FromSettings(("AzureWebJobsStorage", "UseDevelopmentStorage=true"), ("AzureWebJobsStorage:accountName", "coachacct"));

        Assert.Equal(new Uri("http://127.0.0.1:10002/devstoreaccount1/UserData"), clients.Table(StorageNames.UserDataTable).Uri);
    }

    [Theory]
    [InlineData(null, "0b6e1c8e-8d2e-4f5e-9a55-8f0f0f0f0f0f", typeof(ManagedIdentityCredential))]
    [InlineData("managedidentity", null, typeof(ManagedIdentityCredential))]
    [InlineData("ManagedIdentity", "0b6e1c8e-8d2e-4f5e-9a55-8f0f0f0f0f0f", typeof(ManagedIdentityCredential))]
    [InlineData(null, null, typeof(DefaultAzureCredential))]
    public void The_credential_follows_the_credential_and_client_id_settings(string? credential, string? clientId, Type expected)
    {
        var identity = new StorageIdentity(new Uri("https://a.table.core.windows.net"), new Uri("https://a.queue.core.windows.net"), credential, clientId);

        Assert.IsType(expected, identity.CreateCredential());
    }

    [Theory]
    [InlineData("tableServiceUri", "queueServiceUri")]
    [InlineData("queueServiceUri", "tableServiceUri")]
    public void One_service_uri_without_the_other_names_the_missing_setting(string given, string missing)
    {
        var e = Assert.Throws<InvalidOperationException>(() => FromSettings(($"AzureWebJobsStorage:{given}", "https://coach.example.test")));

        Assert.Contains($"AzureWebJobsStorage__{missing}", e.Message);
    }

    [Theory]
    [InlineData("not a uri")]
    [InlineData("ftp://coach.example.test")]
    [InlineData("/relative/path")]
    public void A_service_uri_must_be_absolute_http_or_https(string value)
    {
        var e = Assert.Throws<InvalidOperationException>(() => FromSettings(
            ("AzureWebJobsStorage:tableServiceUri", value), ("AzureWebJobsStorage:queueServiceUri", "https://q.example.test")));

        Assert.Contains("AzureWebJobsStorage__tableServiceUri", e.Message);
    }

    [Fact]
    public void Missing_storage_settings_say_both_ways_to_configure_it()
    {
        var e = Assert.Throws<InvalidOperationException>(() => FromSettings());

        Assert.Contains("UseDevelopmentStorage=true", e.Message);
        Assert.Contains("AzureWebJobsStorage__accountName", e.Message);
    }

    [Fact]
    public void One_client_per_name_on_one_pipeline()
    {
        var clients = FromSettings(("AzureWebJobsStorage", "UseDevelopmentStorage=true"));

        Assert.Same(clients.Table(StorageNames.UserDataTable), clients.Table(StorageNames.UserDataTable));
        Assert.Same(clients.Queue(StorageNames.DetectionsQueue), clients.Queue(StorageNames.DetectionsQueue));
        Assert.NotSame(clients.Queue(StorageNames.DetectionsQueue), clients.Queue(StorageNames.DeliveriesQueue));
    }

    [Theory]
    [InlineData("\"messageEncoding\": \"none\",", QueueMessageEncoding.None)]
    [InlineData("\"messageEncoding\": \"NONE\",", QueueMessageEncoding.None)]
    [InlineData("\"messageEncoding\": \"base64\",", QueueMessageEncoding.Base64)]
    [InlineData("", QueueMessageEncoding.Base64)]
    public void The_queue_encoding_comes_from_host_json(string setting, QueueMessageEncoding expected)
    {
        var dir = Directory.CreateTempSubdirectory("host-json-").FullName;
        File.WriteAllText(Path.Combine(dir, "host.json"), $$"""{ "version": "2.0", "extensions": { "queues": { {{setting}} "batchSize": 8 } } }""");
        try
        {
            var encoding = CoachFunctions.Hosting.HostJson.QueueEncoding(dir);
            var clients = StorageClients.FromConfiguration(Configuration(("AzureWebJobsStorage", "UseDevelopmentStorage=true")), encoding);

            Assert.Equal(expected, encoding);
            Assert.Equal(expected, clients.MessageEncoding);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
