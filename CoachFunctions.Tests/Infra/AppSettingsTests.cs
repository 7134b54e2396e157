using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using CoachFunctions.Hosting;
using CoachFunctions.Tests.Infrastructure;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.Core.FunctionMetadata;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CoachFunctions.Tests.Infra;

/// <summary>
/// The settings the app reads are the settings infra/ and local.settings.sample.json give it, no more
/// and no fewer, save the few listed here with their reason. What the app reads is observed, not
/// listed by hand: the worker is built as Program.cs builds it (<see cref="CoachWorker.AddCoachFunctions"/>)
/// on a configuration that records every key asked of it, and every service the app registered is
/// resolved (which runs the factories that read settings), once with local settings and once with
/// Azure's identity-based ones; to that are added the <c>%Setting%</c> expressions of the functions'
/// bindings (read by the host) and the settings the app reads per request, which it names in
/// constants ending in "Setting".
/// </summary>
public sealed partial class AppSettingsTests
{
    /// <summary>Read by the app, deliberately not set by infra/.</summary>
    private static readonly Dictionary<string, string> NotInInfra = new(StringComparer.OrdinalIgnoreCase)
    {
        ["AzureWebJobsStorage"] = "the connection string (an account key); in Azure storage is reached with the identity (AzureWebJobsStorage__accountName)",
        ["AzureSignalRConnectionString"] = "the access-key connection string; in Azure __serviceUri with the identity",
        ["Llm__ApiKey"] = "a key; in Azure Llm__UseManagedIdentity=true",
        ["Auth__SigningKey"] = "the key of the app's own HS256 tokens; in Azure users sign in with Entra ID (Auth__Authority)",
        ["AzureWebJobsStorage__tableServiceUri"] = "with __queueServiceUri, an alternative to __accountName (which infra sets) for endpoints other than the public cloud's",
        ["AzureWebJobsStorage__queueServiceUri"] = "see __tableServiceUri",
        ["Auth__MetadataAddress"] = "only for an issuer whose metadata is not under Auth__Authority, which infra sets",
        ["Generation__AllowedUrlHosts__N"] = "a list, empty by default (add Generation__AllowedUrlHosts__0, __1, ... to allow hosts)",
        ["Stats__InstanceId"] = "one per process: a value shared by instances would make them overwrite each other's totals",
        ["FUNCTIONS_APPLICATION_DIRECTORY"] = "set by the Functions host",
    };

    /// <summary>Read by the app, deliberately not in local.settings.sample.json.</summary>
    private static readonly Dictionary<string, string> NotInSample = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Generation__AllowedUrlHosts__N"] = "a list, empty by default",
        ["Stats__InstanceId"] = "one per process, fresh by default",
        ["FUNCTIONS_APPLICATION_DIRECTORY"] = "set by the Functions host (and the local host)",
    };

    /// <summary>Settings the files may give that the app does not read: the Functions host's own.</summary>
    private static readonly Dictionary<string, string> HostOnly = new(StringComparer.OrdinalIgnoreCase)
    {
        ["FUNCTIONS_WORKER_RUNTIME"] = "func start needs it locally; Flex Consumption takes the runtime from functionAppConfig and refuses the setting",
    };

    private static readonly Lazy<IReadOnlySet<string>> Read = new(ReadByTheApp);

    [Fact]
    public void Every_setting_in_infra_is_read_by_the_app()
    {
        var unread = InfraTemplate.AppSettings.Select(s => s.Name).Where(n => !Read.Value.Contains(Normal(n)) && !HostOnly.ContainsKey(n)).ToList();
        Assert.True(unread.Count == 0, "infra/ sets settings the app does not read: " + string.Join(", ", unread));
        Assert.DoesNotContain(InfraTemplate.AppSettings, s => HostOnly.ContainsKey(s.Name)); // Flex Consumption refuses FUNCTIONS_WORKER_RUNTIME
    }

    [Fact]
    public void Every_setting_in_the_sample_is_read_by_the_app()
    {
        var unread = SampleSettings().Where(n => !Read.Value.Contains(Normal(n)) && !HostOnly.ContainsKey(n)).ToList();
        Assert.True(unread.Count == 0, "local.settings.sample.json has settings the app does not read: " + string.Join(", ", unread));
    }

    [Fact]
    public void Every_setting_the_app_reads_is_in_infra_unless_listed_with_its_reason()
    {
        var infra = InfraTemplate.AppSettings.Select(s => Normal(s.Name)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var missing = Read.Value.Where(n => !infra.Contains(n) && !NotInInfra.ContainsKey(n)).Order().ToList();
        Assert.True(missing.Count == 0, "The app reads settings infra/ does not set: " + string.Join(", ", missing));
        // The list stays true: each entry is read by the app and really absent.
        Assert.All(NotInInfra.Keys, n => Assert.True(Read.Value.Contains(n) && !infra.Contains(n), $"NotInInfra lists {n}, which is not read or is in infra/"));
    }

    [Fact]
    public void Every_setting_the_app_reads_is_in_the_sample_unless_listed_with_its_reason()
    {
        var sample = SampleSettings().Select(Normal).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var missing = Read.Value.Where(n => !sample.Contains(n) && !NotInSample.ContainsKey(n)).Order().ToList();
        Assert.True(missing.Count == 0, "The app reads settings local.settings.sample.json lacks: " + string.Join(", ", missing));
        Assert.All(NotInSample.Keys, n => Assert.True(Read.Value.Contains(n) && !sample.Contains(n), $"NotInSample lists {n}, which is not read or is in the sample"));
    }

    [Fact]
    public void Setting_names_are_written_as_the_app_spells_them()
    {
        // Configuration keys match case-insensitively, but a reader greps for the name.
        var spelled = Read.Value.ToHashSet(StringComparer.Ordinal);
        var files = InfraTemplate.AppSettings.Select(s => s.Name).Concat(SampleSettings()).Where(n => !HostOnly.ContainsKey(n));
        Assert.All(files, n => Assert.Contains(Normal(n), spelled));
    }

    [Fact]
    public void The_observation_sees_what_it_should()
    {
        // A guard on the method itself: settings read through each path (a connection string, an
        // identity branch, a bound options section, a binding expression, a per-request constant).
        foreach (var name in new[] { "AzureWebJobsStorage", "AzureWebJobsStorage__clientId", "AzureSignalRConnectionString__serviceUri",
                     "Llm__UseManagedIdentity", "Auth__Audience", "ScanSchedule", "Coaching__SnoozeMinutes", "APPLICATIONINSIGHTS_AUTHENTICATION_STRING" })
            Assert.Contains(name, Read.Value);
        Assert.DoesNotContain(Read.Value, n => n.StartsWith("Logging", StringComparison.OrdinalIgnoreCase) || n.StartsWith("Functions__Worker", StringComparison.OrdinalIgnoreCase));
    }

    // ---- what the app reads ---------------------------------------------------------------------------

    private static IReadOnlySet<string> ReadByTheApp()
    {
        // Every setting either file names is given a value, so each options section exists and the
        // binder asks for each of its properties; a section neither file names is still seen, as a key.
        var sample = SampleValues();
        var local = new Dictionary<string, string?>(sample, StringComparer.OrdinalIgnoreCase)
        {
            // Local: connection strings and the app's own signing key, as the sample and the local host give them.
            ["AzureSignalRConnectionString"] = "Endpoint=http://127.0.0.1;Port=7071;AccessKey=" + new string('k', 44) + ";Version=1.0;",
            ["Auth__SigningKey"] = TestKeys.SigningKey,
            ["Llm__Endpoint"] = "http://127.0.0.1:9/v1/", ["Llm__Model"] = "local-model", ["Llm__Provider"] = "openai-compatible",
            ["Generation__AllowedUrlHosts__0"] = "example.com",
        };
        // Azure: every service by identity, as infra/ sets it up (its literal values, and these for its expressions).
        const string clientId = "4b1c7c2e-91a6-4ad5-8f5e-2b1d2c0c0de1";
        var azure = new Dictionary<string, string?>(sample, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in InfraTemplate.AppSettings.Where(s => !s.Value.StartsWith('['))) azure[name] = value;
        foreach (var keyBased in new[] { "AzureWebJobsStorage", "AzureSignalRConnectionString", "Auth__SigningKey", "Llm__ApiKey" }) azure.Remove(keyBased);
        foreach (var (name, value) in new Dictionary<string, string>
        {
            ["AzureWebJobsStorage__accountName"] = "coachacct", ["AzureWebJobsStorage__credential"] = "managedidentity", ["AzureWebJobsStorage__clientId"] = clientId,
            ["AzureSignalRConnectionString__serviceUri"] = "https://coach.service.signalr.net", ["AzureSignalRConnectionString__clientId"] = clientId,
            ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = "InstrumentationKey=00000000-0000-0000-0000-0000000c0ac4;IngestionEndpoint=http://127.0.0.1:9/",
            ["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"] = "Authorization=AAD;ClientId=" + clientId,
            ["Llm__Provider"] = "azure-openai", ["Llm__Endpoint"] = "https://coach.openai.azure.com/", ["Llm__Model"] = "coach-chat",
            ["Llm__UseManagedIdentity"] = "true", ["Llm__ManagedIdentityClientId"] = clientId,
            ["Auth__Authority"] = "https://login.microsoftonline.com/00000000-0000-0000-0000-00000000c0ac/v2.0", ["Auth__Audience"] = "api://coach",
            ["Auth__Issuer"] = "", ["Auth__SubjectClaim"] = "oid", ["Auth__AdminRole"] = "admin",
            ["Generation__Strategy"] = "ai", ["Coaching__AiDetector__Enabled"] = "true", ["ScanSchedule"] = "0 */5 * * * *",
        }) azure[name] = value;

        var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var parents = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var fromBindings = new List<string>();
        foreach (var settings in new[] { local, azure })
        {
            var (k, p, b) = Observe(settings.ToDictionary(e => e.Key.Replace("__", ":"), e => e.Value, StringComparer.OrdinalIgnoreCase));
            keys.UnionWith(k); parents.UnionWith(p); fromBindings.AddRange(b);
        }

        // A key the binder enumerated and that has keys below it is a section, not a setting; one whose
        // keys below are numbered is a list (Generation__AllowedUrlHosts__N).
        bool HasChildren(string key) => keys.Any(k => k.StartsWith(key + ":", StringComparison.OrdinalIgnoreCase));
        var read = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            if (DigitSegment().IsMatch(Normal(key)) || ComputedProperties.Contains(key)) continue;
            if (parents.Contains(key) && HasChildren(key))
            {
                if (keys.Any(k => k.StartsWith(key + ":0", StringComparison.OrdinalIgnoreCase))) read.Add(Normal(key) + "__N");
                continue;
            }
            read.Add(Normal(key));
        }
        read.UnionWith(fromBindings.Select(Normal));
        // Settings the app reads per request name themselves in constants (RespondToPromptFunction.SnoozeSetting, ...).
        read.UnionWith(typeof(CoachWorker).Assembly.GetTypes()
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static | BindingFlags.NonPublic))
            .Where(f => f.IsLiteral && f.FieldType == typeof(string) && (f.Name.EndsWith("Setting", StringComparison.Ordinal) || f.Name == "SettingName"))
            .Select(f => Normal((string)f.GetRawConstantValue()!)));
        return read;
    }

    /// <summary>
    /// Read-only properties of the app's options classes (LlmOptions.IsConfigured, OidcOptions.Enabled,
    /// ...): the binder asks for them too, but nothing can set them.
    /// </summary>
    private static readonly HashSet<string> ComputedProperties = typeof(CoachWorker).Assembly.GetTypes()
        .Where(t => t.Name.EndsWith("Options", StringComparison.Ordinal) && t.IsClass)
        .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is not { IsPublic: true }).Select(p => p.Name))
        .SelectMany(name => new[] { "Llm", "Generation", "Auth", "Stats", "RateLimits" }.Select(section => $"{section}:{name}"))
        .ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>The keys the app asks for while it registers and builds its services on these settings; the sections the binder enumerates; the bindings' %expressions%.</summary>
    private static (IEnumerable<string> Keys, IEnumerable<string> Parents, IEnumerable<string> BindingExpressions) Observe(Dictionary<string, string?> settings)
    {
        settings[CoachWorker.AppDirectorySetting] = InProcessWorker.AppDirectory;
        var recorder = new RecordingSource(settings);
        var builder = FunctionsApplication.CreateBuilder([]);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        ((IConfigurationBuilder)builder.Configuration).Add(recorder); // last: asked first for every key
        builder.ConfigureFunctionsWebApplication();
        var before = builder.Services.Count;

        recorder.Provider.Recording = true;
        builder.AddCoachFunctions();
        recorder.Provider.Recording = false;
        var appServices = builder.Services.Skip(before).ToList();

        using var host = builder.Build();
        // What the factories need from the framework is built first, unrecorded (logging reads its own section).
        foreach (var framework in new[] { typeof(ILoggerFactory), typeof(System.Diagnostics.Metrics.IMeterFactory), typeof(IHttpClientFactory), typeof(TimeProvider) })
            host.Services.GetService(framework);
        var bindingExpressions = host.Services.GetRequiredService<IFunctionMetadataProvider>().GetFunctionMetadataAsync(InProcessWorker.AppDirectory).GetAwaiter().GetResult()
            .SelectMany(f => f.RawBindings!)
            .SelectMany(b => BindingExpression().Matches(b).Select(m => m.Groups[1].Value))
            .ToList();

        recorder.Provider.Recording = true;
        foreach (var service in appServices.Where(s => !s.IsKeyedService && !s.ServiceType.IsGenericTypeDefinition && IsTheApps(s)))
            host.Services.GetService(service.ServiceType);
        recorder.Provider.Recording = false;
        return (recorder.Provider.Keys.ToList(), recorder.Provider.Parents.ToList(), bindingExpressions);
    }

    /// <summary>A service registered by the app: its own type or the app's factory.</summary>
    private static bool IsTheApps(ServiceDescriptor s) =>
        s.ServiceType.Assembly == typeof(CoachWorker).Assembly
        || s.ImplementationFactory?.Method.DeclaringType?.Assembly == typeof(CoachWorker).Assembly;

    private static string Normal(string key) => key.Replace(":", "__");

    private static Dictionary<string, string?> SampleValues()
    {
        using var sample = JsonDocument.Parse(File.ReadAllText(Path.Combine(InfraTemplate.RepositoryRoot, "local.settings.sample.json")));
        return sample.RootElement.GetProperty("Values").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString(), StringComparer.OrdinalIgnoreCase);
    }

    private static IEnumerable<string> SampleSettings()
    {
        using var sample = JsonDocument.Parse(File.ReadAllText(Path.Combine(InfraTemplate.RepositoryRoot, "local.settings.sample.json")));
        return sample.RootElement.GetProperty("Values").EnumerateObject().Select(p => p.Name).ToList();
    }

    [GeneratedRegex("%([A-Za-z0-9_:.-]+)%")]
    private static partial Regex BindingExpression();

    [GeneratedRegex(@"__\d+(__|$)")]
    private static partial Regex DigitSegment();

    private sealed class RecordingSource(IDictionary<string, string?> settings) : IConfigurationSource
    {
        public RecordingProvider Provider { get; } = new(settings);

        public IConfigurationProvider Build(IConfigurationBuilder builder) => Provider;
    }

    /// <summary>An in-memory provider that remembers every key looked up and every section enumerated while recording.</summary>
    private sealed class RecordingProvider : ConfigurationProvider
    {
        private readonly ConcurrentDictionary<string, bool> _keys = new(StringComparer.OrdinalIgnoreCase);
        private readonly ConcurrentDictionary<string, bool> _parents = new(StringComparer.OrdinalIgnoreCase);

        public RecordingProvider(IDictionary<string, string?> settings)
        {
            foreach (var (key, value) in settings) Data[key] = value;
        }

        public volatile bool Recording;

        public IEnumerable<string> Keys => _keys.Keys;

        public IEnumerable<string> Parents => _parents.Keys;

        public override bool TryGet(string key, out string? value)
        {
            if (Recording) _keys.TryAdd(key, true);
            return base.TryGet(key, out value);
        }

        public override IEnumerable<string> GetChildKeys(IEnumerable<string> earlierKeys, string? parentPath)
        {
            if (Recording && parentPath is not null) _parents.TryAdd(parentPath, true);
            return base.GetChildKeys(earlierKeys, parentPath);
        }
    }
}
