using System.Text.Json;
using System.Text.RegularExpressions;
using CoachFunctions.SignalR;
using CoachFunctions.Storage;
using CoachFunctions.Telemetry;

namespace CoachFunctions.Tests.Infra;

/// <summary>
/// infra/ on identity alone: one user-assigned identity holds exactly the roles the code's calls need,
/// each on the one resource it is for; every service refuses keys; no key, connection string with a
/// secret or key-listing function is anywhere in infra/ (or in what azd and the publish script use).
/// </summary>
public sealed partial class InfraSecurityTests
{
    /// <summary>Each role, the resource type it is scoped to, and the calls that need it.</summary>
    private static readonly (string RoleId, string Name, string ScopeType, string UsedBy)[] ExpectedRoles =
    [
        ("b7e6dc6d-f1e8-4753-8033-0f276bb0955b", "Storage Blob Data Owner", "Microsoft.Storage/storageAccounts",
            "the Functions host on AzureWebJobsStorage (locks, timer schedules) and the deployment package container"),
        ("974c5e8b-45b9-4653-ba55-5f855dd0fb88", "Storage Queue Data Contributor", "Microsoft.Storage/storageAccounts",
            "StorageClients.Queue (the app's sends, delayed deliveries) and the host's queue triggers and outputs"),
        ("0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", "Storage Table Data Contributor", "Microsoft.Storage/storageAccounts",
            "StorageClients.Table (UserData, UserSummaries, CoachStats)"),
        ("5e0bd9bd-7b93-4f28-af87-19fc36ad61bd", "Cognitive Services OpenAI User", "Microsoft.CognitiveServices/accounts",
            "AzureOpenAIChatModel with Llm__UseManagedIdentity (chat completions)"),
        ("7e4f1700-ea5a-4f59-8f37-079cfe29dce3", "SignalR Service Owner", "Microsoft.SignalRService/signalR",
            "SignalRRestClient: the send to a user and :generateToken (the REST-only role cannot generate client tokens)"),
        ("3913510d-42f4-4e42-8a64-420c390055eb", "Monitoring Metrics Publisher", "Microsoft.Insights/components",
            "the host's and TelemetryExport's Entra ID ingestion (APPLICATIONINSIGHTS_AUTHENTICATION_STRING)"),
    ];

    [Fact]
    public void The_identity_has_exactly_the_roles_the_code_needs_each_on_its_resource()
    {
        var assigned = InfraTemplate.RoleAssignments();
        Assert.Equal(ExpectedRoles.Select(r => (r.RoleId, r.ScopeType)).Order(), assigned.Select(a => (a.RoleId, a.ScopeType)).Order());
        Assert.All(assigned, a =>
        {
            Assert.Contains("Microsoft.ManagedIdentity/userAssignedIdentities", a.Principal); // the one identity
            Assert.Equal("ServicePrincipal", a.PrincipalType);
        });
        // No role on the resource group or the subscription.
        Assert.DoesNotContain(assigned, a => a.ScopeType == "(resource group)");
    }

    [Fact]
    public void Each_role_goes_with_the_settings_that_make_the_code_use_the_identity()
    {
        var settings = InfraTemplate.AppSettings.ToDictionary(s => s.Name, s => s.Value);
        const string clientId = "reference(resourceId('Microsoft.ManagedIdentity/userAssignedIdentities'";
        // Storage roles: the host and StorageClients reach the account with the user-assigned identity.
        Assert.Equal("managedidentity", settings[$"{StorageClients.SettingName}__credential"]);
        Assert.Contains(clientId, settings[$"{StorageClients.SettingName}__clientId"]);
        Assert.Equal(Names("Microsoft.Storage/storageAccounts"), settings[$"{StorageClients.SettingName}__accountName"]);
        // Azure OpenAI User: the chat model with Entra tokens from the identity.
        Assert.Equal("true", settings["Llm__UseManagedIdentity"]);
        Assert.Contains(clientId, settings["Llm__ManagedIdentityClientId"]);
        Assert.Contains("Microsoft.CognitiveServices/accounts", settings["Llm__Endpoint"]);
        // SignalR Service Owner: SignalRServiceEndpoint's identity branch.
        Assert.Contains("Microsoft.SignalRService/signalR", settings[$"{SignalRServiceEndpoint.SettingName}__serviceUri"]);
        Assert.Contains(clientId, settings[$"{SignalRServiceEndpoint.SettingName}__clientId"]);
        // Monitoring Metrics Publisher: TelemetryExport (and the host) authenticate with the identity.
        Assert.Contains("Authorization=AAD;ClientId=", settings[TelemetryExport.AuthenticationStringSetting]);
        Assert.Contains(clientId, settings[TelemetryExport.AuthenticationStringSetting]);
    }

    [Fact]
    public void The_function_app_runs_as_the_identity_on_flex_consumption_dotnet_isolated_10()
    {
        var app = InfraTemplate.FunctionApp;
        Assert.Equal("UserAssigned", app.GetProperty("identity").GetProperty("type").GetString());
        var config = app.GetProperty("properties").GetProperty("functionAppConfig");
        Assert.Equal("dotnet-isolated", config.GetProperty("runtime").GetProperty("name").GetString());
        Assert.Equal("10.0", config.GetProperty("runtime").GetProperty("version").GetString());
        var storage = config.GetProperty("deployment").GetProperty("storage");
        Assert.Equal("blobContainer", storage.GetProperty("type").GetString());
        Assert.Equal("UserAssignedIdentity", storage.GetProperty("authentication").GetProperty("type").GetString());
        Assert.Contains("Microsoft.ManagedIdentity/userAssignedIdentities", storage.GetProperty("authentication").GetProperty("userAssignedIdentityResourceId").GetString());
        var scale = config.GetProperty("scaleAndConcurrency");
        Assert.Equal("[parameters('functionInstanceMemoryMB')]", scale.GetProperty("instanceMemoryMB").GetString());
        Assert.Equal("[parameters('functionMaximumInstanceCount')]", scale.GetProperty("maximumInstanceCount").GetString());
        var plan = InfraTemplate.ResourcesOfType("Microsoft.Web/serverfarms").Single().GetProperty("sku");
        Assert.Equal(("FC1", "FlexConsumption"), (plan.GetProperty("name").GetString(), plan.GetProperty("tier").GetString()));
        // CORS: the web client's origin, nothing else.
        var origins = app.GetProperty("properties").GetProperty("siteConfig").GetProperty("cors").GetProperty("allowedOrigins").EnumerateArray().Select(o => o.GetString()!).ToList();
        const string webOrigin = "[format('https://{0}', reference(resourceId('Microsoft.Web/staticSites', format('swa-{0}', parameters('resourceToken'))), '2024-04-01').defaultHostname)]";
        Assert.Equal(webOrigin, Assert.Single(origins));
        Assert.False(app.GetProperty("properties").GetProperty("siteConfig").GetProperty("cors").GetProperty("supportCredentials").GetBoolean());
        // The browser also negotiates with SignalR Service directly: the same one origin there.
        var signalROrigins = InfraTemplate.ResourcesOfType("Microsoft.SignalRService/signalR").Single().GetProperty("properties").GetProperty("cors").GetProperty("allowedOrigins");
        Assert.Equal(webOrigin, Assert.Single(signalROrigins.EnumerateArray()).GetString());
    }

    [Fact]
    public void Local_cors_is_set_up_as_the_function_apps()
    {
        // local.settings.sample.json's Host section is what func start (and the local host) apply:
        // no credentials, as siteConfig.cors; explicit origins only, never '*'. Empty by default: the local
        // host serves the client on the API's own origin; list the client's origin when it is served elsewhere.
        using var sample = JsonDocument.Parse(File.ReadAllText(Path.Combine(InfraTemplate.RepositoryRoot, "local.settings.sample.json")));
        var host = sample.RootElement.GetProperty("Host");
        var cors = InfraTemplate.FunctionApp.GetProperty("properties").GetProperty("siteConfig").GetProperty("cors");
        Assert.Equal(cors.GetProperty("supportCredentials").GetBoolean(), host.GetProperty("CORSCredentials").GetBoolean());
        var origins = host.GetProperty("CORS").GetString()!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.DoesNotContain("*", origins);
        Assert.DoesNotContain(cors.GetProperty("allowedOrigins").EnumerateArray(), o => o.GetString()!.Contains('*'));
    }

    [Fact]
    public void Every_service_refuses_keys()
    {
        JsonElement Properties(string type) => InfraTemplate.ResourcesOfType(type).Single().GetProperty("properties");
        Assert.False(Properties("Microsoft.Storage/storageAccounts").GetProperty("allowSharedKeyAccess").GetBoolean());
        Assert.True(Properties("Microsoft.SignalRService/signalR").GetProperty("disableLocalAuth").GetBoolean());
        Assert.Contains(Properties("Microsoft.SignalRService/signalR").GetProperty("features").EnumerateArray(),
            f => f.GetProperty("flag").GetString() == "ServiceMode" && f.GetProperty("value").GetString() == "Serverless");
        Assert.True(Properties("Microsoft.CognitiveServices/accounts").GetProperty("disableLocalAuth").GetBoolean());
        Assert.True(Properties("Microsoft.Insights/components").GetProperty("DisableLocalAuth").GetBoolean());
        Assert.All(InfraTemplate.ResourcesOfType("Microsoft.Web/sites/basicPublishingCredentialsPolicies"),
            p => Assert.False(p.GetProperty("properties").GetProperty("allow").GetBoolean()));
        Assert.Equal(2, InfraTemplate.ResourcesOfType("Microsoft.Web/sites/basicPublishingCredentialsPolicies").Count());
    }

    [Fact]
    public void No_key_or_secret_connection_string_anywhere_in_infra()
    {
        var files = Directory.EnumerateFiles(InfraTemplate.InfraDirectory, "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Concat([Path.Combine(InfraTemplate.RepositoryRoot, "azure.yaml"), Path.Combine(InfraTemplate.RepositoryRoot, "scripts", "publish.sh"),
                Path.Combine(InfraTemplate.RepositoryRoot, "scripts", "publish-web.mjs")])
            .ToList();
        Assert.Contains(files, f => f.EndsWith("resources.bicep", StringComparison.Ordinal));
        var texts = files.Select(f => (File: Path.GetRelativePath(InfraTemplate.RepositoryRoot, f), Text: File.ReadAllText(f)))
            .Append(("main.bicep compiled", InfraTemplate.Main.GetRawText()));
        foreach (var (file, text) in texts)
        {
            var found = Secret().Matches(text).Select(m => m.Value).ToList();
            Assert.True(found.Count == 0, $"{file} has what looks like a key or a secret: {string.Join(", ", found)}");
        }
        // No setting carries a key: the only connection string is Application Insights', whose
        // instrumentation key only names the resource (which refuses key-only ingestion, above).
        // Save the secrets no managed identity can replace (the webhooks' HMAC key, WeCom's), which come from secure parameters only (below).
        Assert.DoesNotContain(InfraTemplate.AppSettings, s => Regex.IsMatch(s.Name, "key|secret|password", RegexOptions.IgnoreCase) && !SecureSettings.ContainsKey(s.Name));
        Assert.Equal(["APPLICATIONINSIGHTS_CONNECTION_STRING"],
            InfraTemplate.AppSettings.Where(s => s.Name.Contains("CONNECTION_STRING", StringComparison.OrdinalIgnoreCase) && !s.Name.Contains("__")).Select(s => s.Name));
        Assert.Equal("[reference(resourceId('Microsoft.Insights/components', format('appi-{0}', parameters('resourceToken'))), '2020-02-02').ConnectionString]",
            InfraTemplate.AppSettings.Single(s => s.Name == "APPLICATIONINSIGHTS_CONNECTION_STRING").Value);
        // Secure parameters only for those secrets: each empty by default (the channel off), each the whole value of its setting, none an output.
        foreach (var template in new[] { InfraTemplate.Main, InfraTemplate.Resources })
        {
            var secure = template.GetProperty("parameters").EnumerateObject()
                .Where(p => string.Equals(p.Value.GetProperty("type").GetString(), "securestring", StringComparison.OrdinalIgnoreCase)).ToList();
            Assert.Equal(SecureSettings.Values.Order(), secure.Select(p => p.Name).Order());
            Assert.All(secure, p => Assert.Equal("", p.Value.TryGetProperty("defaultValue", out var d) ? d.GetString() : ""));
        }
        foreach (var (setting, parameter) in SecureSettings)
            Assert.Equal($"[parameters('{parameter}')]", InfraTemplate.AppSettings.Single(s => s.Name == setting).Value);
        Assert.DoesNotContain("weComCorpSecret", InfraTemplate.Main.GetProperty("outputs").GetRawText(), StringComparison.Ordinal);
    }

    /// <summary>
    /// App settings whose values are secrets passed in as secure parameters: the channel webhooks'
    /// signing key is shared with the providers, and WeCom has no managed identity to use instead.
    /// </summary>
    private static readonly Dictionary<string, string> SecureSettings = new(StringComparer.Ordinal)
    {
        ["Channels__WebhookSecret"] = "channelsWebhookSecret",
        ["Channels__WeCom__CorpSecret"] = "weComCorpSecret",
        ["Channels__WeCom__Token"] = "weComToken",
        ["Channels__WeCom__EncodingAESKey"] = "weComEncodingAesKey",
    };

    private static string Names(string type) => string.Join(" ", InfraTemplate.ResourcesOfType(type).Select(r => r.GetProperty("name").GetString()));

    // Account keys and SAS in connection strings, key headers, ARM functions that read keys or
    // secrets, and anything shaped like a base64 storage key.
    [GeneratedRegex(@"AccountKey\s*=|AccessKey\s*=|SharedAccessSignature|SharedAccessKey|\bsig=|api-key|\blist[A-Za-z]*\(|listKeys|listSecrets|listConnectionStrings|primaryKey|secondaryKey|primaryMasterKey|InstrumentationKey\s*=|[A-Za-z0-9+/]{86}==", RegexOptions.IgnoreCase)]
    private static partial Regex Secret();
}
