using CoachFunctions.Coaching;
using CoachFunctions.Functions.DeliverPrompt;
using CoachFunctions.Functions.GeneratePrompt;
using CoachFunctions.Storage;
using CoachFunctions.Telemetry;
using CoachFunctions.Tests.Infrastructure;
using CoachFunctions.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using System.Diagnostics.Metrics;

namespace CoachFunctions.Tests.Delivery;

/// <summary>
/// Issue 9, defect 5: a scheduled prompt was pushed 635 ms before its quiet hours ended, because a
/// delivery that surfaced up to 2 s early counted as on time. Nothing may go out early by any margin.
/// </summary>
public sealed class DeliveryTimingTests
{
    [Theory]
    [InlineData(1500)]
    [InlineData(1)]
    public async Task A_delivery_that_surfaces_before_its_time_waits_again_and_pushes_nothing(int earlyByMs)
    {
        await using var azurite = await Azurite.StartDedicatedAsync();
        var s = StoreHarness.On(azurite);
        var userId = StoreHarness.NewUserId("early");
        var now = s.Time.GetUtcNow();
        var prompt = s.Prompt(userId, state: PromptStates.Scheduled) with { DeliverAt = now.AddMilliseconds(earlyByMs) };
        Assert.True((await s.Prompts.CreateAsync(prompt, default)).Created);

        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new CoachMetrics(services.GetRequiredService<IMeterFactory>(), new StatsAggregator(s.Time, "test"));
        var deliver = new DeliverPromptFunction(s.Prompts, new DeliveryScheduler(s.Clients, s.Bootstrap), metrics, s.Time, NullLogger<DeliverPromptFunction>.Instance);

        await deliver.Run(new DeliveryRequest(userId, prompt.Id), default);

        var (stored, _) = (await s.Prompts.GetAsync(userId, prompt.Id, default))!.Value;
        Assert.Equal(PromptStates.Scheduled, stored.State);
        Assert.Null(stored.SentAt);
        var deliveries = s.Clients.Queue(StorageNames.DeliveriesQueue);
        Assert.Equal(1, (await deliveries.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Theory]
    [InlineData(1, 1000)]
    [InlineData(635, 1000)]
    [InlineData(1500, 2000)]
    [InlineData(2000, 2000)]
    [InlineData(59_999, 60_000)]
    public void The_visibility_delay_is_rounded_up_to_whole_seconds_so_a_message_never_surfaces_early(int untilDueMs, int delayMs)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(delayMs), DeliveryScheduler.VisibilityDelay(TimeSpan.FromMilliseconds(untilDueMs)));
    }

    [Fact]
    public void The_visibility_delay_stays_within_the_queues_week()
    {
        Assert.Equal(DeliveryScheduler.MaxDelay, DeliveryScheduler.VisibilityDelay(TimeSpan.FromDays(30)));
    }
}
