using CoachFunctions.Channels.Webhooks;
using CoachFunctions.Coaching;
using CoachFunctions.Functions.SendDigest;
using CoachFunctions.Functions.SendToChannel;
using CoachFunctions.Storage.Tables;

namespace CoachFunctions.Channels;

/// <summary>
/// The delivery channels beyond in-app: contacts, the push and e-mail webhook senders, the digest and
/// the dispatcher that uses every registered <see cref="IChannelSender"/> (WeCom registers its own).
/// </summary>
public static class ChannelServices
{
    /// <summary>A provider that has not answered in this long is retried later, through the queue.</summary>
    public static readonly TimeSpan WebhookTimeout = TimeSpan.FromSeconds(10);

    public static IServiceCollection AddCoachChannels(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<ContactStore>();
        services.AddSingleton<DigestStore>();
        services.AddSingleton<DigestScheduler>();
        services.AddSingleton(WebhookOptions.FromConfiguration(configuration));
        // The app's typed-client pattern (as SignalRRestClient): the factory owns and rotates the handlers.
        services.AddHttpClient(nameof(WebhookClient), http => http.Timeout = WebhookTimeout)
            .AddTypedClient((http, sp) => new WebhookClient(http, sp.GetRequiredService<WebhookOptions>(), sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<WebhookClient>>()));
        foreach (var channel in new[] { DeliveryChannels.Push, DeliveryChannels.Email })
            services.AddTransient<IChannelSender>(sp => new WebhookChannelSender(channel, sp.GetRequiredService<WebhookOptions>(),
                sp.GetRequiredService<ContactStore>(), sp.GetRequiredService<WebhookClient>()));
        // Transient, as the typed clients its senders hold.
        services.AddTransient<ChannelDispatcher>();
        return services;
    }
}
