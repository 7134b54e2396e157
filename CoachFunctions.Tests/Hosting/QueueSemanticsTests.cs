using System.Text.Json;
using Azure.Storage.Queues;
using CoachFunctions.Storage;
using CoachFunctions.Tests.EndToEnd;
using CoachFunctions.Tests.Infrastructure;

namespace CoachFunctions.Tests.Hosting;

/// <summary>
/// The local host's queue triggers keep the Functions semantics: nothing is lost while the app is
/// down (poison after 5 attempts: <see cref="WorkerContractTests"/>).
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class QueueSemanticsTests
{
    [Fact]
    public async Task Detections_queued_while_the_app_is_down_are_processed_after_it_comes_back()
    {
        var azurite = await Azurite.SharedAsync();
        var port = Azurite.FreePort();
        // Three users: frequency control would rightly let only one prompt a half hour through for one user.
        var userIds = Enumerable.Range(0, 3).Select(_ => ApiClient.NewUserId("offline")).ToList();

        // Up once (creates tables and queues), then down.
        await (await AppHost.StartLocalAsync(azurite, port: port)).DisposeAsync();

        var detections = new StorageClients(azurite.ConnectionString, QueueMessageEncoding.Base64).Queue(StorageNames.DetectionsQueue);
        await detections.CreateIfNotExistsAsync();
        var now = DateTimeOffset.UtcNow;
        foreach (var userId in userIds) await detections.SendMessageAsync(TestData.DailyCheckinDetection(userId, now));

        await using var host = await AppHost.StartLocalAsync(azurite, port: port);
        var prompts = new List<JsonElement>();
        foreach (var userId in userIds)
        {
            using var user = await ApiClient.SignInAsync(host, userId);
            prompts.Add(await Eventually.ValueAsync(async () =>
            {
                var list = await user.JsonAsync(HttpMethod.Get, "/api/prompts");
                return list.GetProperty("items").EnumerateArray().Select(p => (JsonElement?)p).SingleOrDefault();
            }, TimeSpan.FromSeconds(30), "the prompt from the detection queued while the app was down"));
        }
        Assert.All(prompts, p => Assert.Equal("daily_checkin", p.GetProperty("type").GetString()));
        Assert.Equal(3, prompts.Select(p => p.GetProperty("id").GetString()).Distinct().Count());
    }
}
