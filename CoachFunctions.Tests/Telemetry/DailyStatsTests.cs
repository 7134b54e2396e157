using System.Text.Json;
using CoachFunctions.Hosting;
using CoachFunctions.Telemetry;

namespace CoachFunctions.Tests.Telemetry;

/// <summary>The LLM figures of a CoachStats row: rows written before requests were counted still read, and sums add the new ones.</summary>
public sealed class DailyStatsTests
{
    [Fact]
    public void A_row_from_before_request_counting_reads_its_prompts_and_no_requests()
    {
        var old = JsonSerializer.Deserialize<DailyStats>("""{"llmCalls":7,"llmFallbacks":{"timeout":2}}""", CoachJson.Options)!;
        Assert.Equal(7, old.LlmPrompts);
        Assert.Equal(0, old.LlmRequests);
        Assert.Empty(old.LlmRequestsByOutcome);
    }

    [Fact]
    public void Requests_round_trip_and_add_up()
    {
        var a = new DailyStats { LlmRequests = 3, LlmPrompts = 1 };
        a.LlmRequestsByOutcome["answered"] = 2;
        a.LlmRequestsByOutcome["timeout"] = 1;
        var json = JsonSerializer.Serialize(a, CoachJson.Options);
        Assert.Contains("\"llmCalls\":1", json);

        var sum = JsonSerializer.Deserialize<DailyStats>(json, CoachJson.Options)!;
        sum.Add(a);
        Assert.Equal(6, sum.LlmRequests);
        Assert.Equal(2, sum.LlmPrompts);
        Assert.Equal(4, sum.LlmRequestsByOutcome["answered"]);
        Assert.Equal(2, sum.LlmRequestsByOutcome["timeout"]);
    }
}
