using System.Text.Json;
using CoachFunctions.LocalHost.Queues;
using CoachFunctions.LocalHost.Rpc;
using CoachFunctions.LocalHost.Settings;
using CoachFunctions.LocalHost.Timers;
using CoachFunctions.LocalHost.Workers;

namespace CoachFunctions.LocalHost.Tests;

public sealed class QueueOutputMessagesTests
{
    [Fact]
    public void A_string_is_one_message() =>
        Assert.Equal(["hello"], QueueOutputMessages.From(new TypedData { String = "hello" }).Select(b => b.ToString()));

    [Fact]
    public void A_json_array_is_one_message_per_element()
    {
        var messages = QueueOutputMessages.From(new TypedData { Json = """["a", {"id":1}, null]""" }).Select(b => b.ToString());
        Assert.Equal(["a", """{"id":1}"""], messages);
    }

    [Fact]
    public void A_json_object_is_one_message_and_null_is_none()
    {
        Assert.Equal(["""{"id":1}"""], QueueOutputMessages.From(new TypedData { Json = """{"id":1}""" }).Select(b => b.ToString()));
        Assert.Empty(QueueOutputMessages.From(new TypedData { Json = "null" }));
        Assert.Empty(QueueOutputMessages.From(new TypedData()));
        Assert.Empty(QueueOutputMessages.From(null));
    }

    [Fact]
    public void A_string_collection_is_one_message_per_element() =>
        Assert.Equal(["x", "y"], QueueOutputMessages.From(new TypedData { CollectionString = new CollectionString { String = { "x", "y" } } }).Select(b => b.ToString()));

    [Fact]
    public void Trigger_metadata_numbers_are_strings_and_times_json_strings()
    {
        var message = Azure.Storage.Queues.Models.QueuesModelFactory.QueueMessage("id1", "pop", "body", 2, DateTimeOffset.Parse("2026-12-01T10:00:00Z"), DateTimeOffset.Parse("2026-12-01T09:00:00Z"), DateTimeOffset.Parse("2026-12-08T09:00:00Z"));
        var metadata = QueueTriggerData.Metadata(message).ToDictionary();
        Assert.Equal("2", metadata["DequeueCount"].String);
        Assert.Equal("id1", metadata["Id"].String);
        Assert.Equal("pop", metadata["PopReceipt"].String);
        Assert.Equal(JsonValueKind.String, JsonDocument.Parse(metadata["InsertionTime"].Json).RootElement.ValueKind);
        Assert.Contains("NextVisibleTime", metadata.Keys);
        Assert.Contains("ExpirationTime", metadata.Keys);
    }

    [Fact]
    public void Polling_backs_off_from_100_ms_to_the_maximum_and_resets()
    {
        var backoff = new PollingBackoff(TimeSpan.FromSeconds(2), new Random(1));
        Assert.Equal(TimeSpan.FromMilliseconds(100), backoff.Next());
        var delays = Enumerable.Range(0, 20).Select(_ => backoff.Next()).ToList();
        Assert.True(delays.Zip(delays.Skip(1)).All(p => p.Second >= p.First));
        Assert.Equal(TimeSpan.FromSeconds(2), delays[^1]);
        backoff.Reset();
        Assert.Equal(TimeSpan.FromMilliseconds(100), backoff.Next());
    }
}

public sealed class TimerScheduleTests
{
    private static readonly DateTime Noon = new(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Six_fields_include_seconds() =>
        Assert.Equal(Noon.AddSeconds(30), TimerSchedule.Parse("*/30 * * * * *").GetNext(Noon));

    [Fact]
    public void Five_fields_are_accepted() =>
        Assert.Equal(Noon.AddMinutes(5), TimerSchedule.Parse("*/5 * * * *").GetNext(Noon));

    [Fact]
    public void An_interval_is_a_constant_schedule() =>
        Assert.Equal(Noon.AddMinutes(90), TimerSchedule.Parse("01:30:00").GetNext(Noon));

    [Fact]
    public void Schedules_are_utc() =>
        Assert.Equal(new DateTime(2026, 12, 2, 0, 0, 0, DateTimeKind.Utc), TimerSchedule.Parse("0 0 0 * * *").GetNext(Noon));

    [Fact]
    public void Nonsense_is_refused() => Assert.Throws<FormatException>(() => TimerSchedule.Parse("every day"));

    [Fact]
    public void The_monitor_is_off_for_sub_minute_schedules()
    {
        Assert.True(TimerSchedule.Parse("*/20 * * * * *").IsMoreFrequentThanAMinute(Noon));
        Assert.False(TimerSchedule.Parse("0 */5 * * * *").IsMoreFrequentThanAMinute(Noon));
    }

    [Fact]
    public void Timer_input_has_the_shape_the_worker_binds()
    {
        var status = new ScheduleStatus(Noon, Noon.AddMinutes(5), Noon.AddSeconds(1));
        using var json = JsonDocument.Parse(TimerTriggerRunner.TimerInfoJson(status, isPastDue: true));
        Assert.True(json.RootElement.GetProperty("Schedule").GetProperty("AdjustForDST").GetBoolean());
        Assert.True(json.RootElement.GetProperty("IsPastDue").GetBoolean());
        Assert.Equal("2026-12-01T12:05:00.0000000Z", json.RootElement.GetProperty("ScheduleStatus").GetProperty("Next").GetString());
        using var none = JsonDocument.Parse(TimerTriggerRunner.TimerInfoJson(null, isPastDue: false));
        Assert.Equal(JsonValueKind.Null, none.RootElement.GetProperty("ScheduleStatus").ValueKind);
    }
}

public sealed class SettingsTests
{
    [Fact]
    public void Colon_and_double_underscore_keys_are_one_setting()
    {
        var settings = new AppSettings([new("Auth__SigningKey", "a")]);
        settings.Set("Auth:SigningKey", "b");
        Assert.Equal("b", settings.Get("Auth__SigningKey"));
        Assert.Single(settings.Values);
        Assert.Equal("Auth__SigningKey", AppSettings.ToEnvironmentName("Auth:SigningKey"));
    }

    [Fact]
    public void Percent_expressions_resolve_from_settings()
    {
        var settings = new AppSettings([new("ScanSchedule", "0 */5 * * * *")]);
        Assert.Equal("0 */5 * * * *", settings.Resolve("%ScanSchedule%"));
        Assert.Throws<InvalidOperationException>(() => settings.Resolve("%Missing%"));
    }

    [Fact]
    public void Host_json_queue_options_and_route_prefix()
    {
        var host = HostJson.Parse("""
            { "version": "2.0", "extensions": {
                "http": { "routePrefix": "/v1/" },
                "queues": { "batchSize": 4, "maxDequeueCount": 3, "visibilityTimeout": "00:00:05", "maxPollingInterval": "00:00:02", "messageEncoding": "none" } } }
            """);
        Assert.Equal("v1", host.RoutePrefix);
        Assert.Equal(4, host.Queues.BatchSize);
        Assert.Equal(2, host.Queues.NewBatchThreshold);
        Assert.Equal(3, host.Queues.MaxDequeueCount);
        Assert.Equal(TimeSpan.FromSeconds(5), host.Queues.VisibilityTimeout);
        Assert.False(host.Queues.Base64);
        Assert.Equal("api", HostJson.Parse("{}").RoutePrefix);
        Assert.Equal(16, HostJson.Parse("{}").Queues.BatchSize);
    }

    [Fact]
    public void The_worker_is_started_as_the_host_starts_it()
    {
        var arguments = WorkerLaunch.Arguments(new Uri("http://127.0.0.1:5000/"), "w1").ToList();
        Assert.Equal(["--functions-uri", "http://127.0.0.1:5000/", "--functions-worker-id", "w1"], arguments.Take(4));
        Assert.Equal("2147483647", arguments[arguments.IndexOf("--functions-grpc-max-message-length") + 1]);
        var environment = WorkerLaunch.Environment("/app", "Development", new Dictionary<string, string> { ["Auth:SigningKey"] = "k" }).ToDictionary();
        Assert.Equal("k", environment["Auth__SigningKey"]);
        Assert.Equal("dotnet-isolated", environment["FUNCTIONS_WORKER_RUNTIME"]);
        Assert.Equal("/app", environment["FUNCTIONS_WORKER_DIRECTORY"]);
        Assert.Equal("/app", environment["FUNCTIONS_APPLICATION_DIRECTORY"]);
    }
}
