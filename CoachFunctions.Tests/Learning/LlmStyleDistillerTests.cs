using CoachFunctions.Coaching;
using CoachFunctions.Coaching.Generation;
using CoachFunctions.Coaching.Learning;

namespace CoachFunctions.Tests.Learning;

/// <summary>The LLM distiller keeps only what fits (a known style, short clean rules) and falls back to counting otherwise.</summary>
public sealed class LlmStyleDistillerTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-21T10:00:00Z");

    private static readonly FeedbackItem[] Shorter =
        Enumerable.Range(0, 5).Select(i => new FeedbackItem($"f{i}", "p1", FeedbackKinds.Correction, "shorter please", PromptTypes.HabitMissed, "ai", 180, Now)).ToArray();

    /// <summary>A scripted model: a unit-test stand-in, one answer or one failure.</summary>
    private sealed class Scripted(Func<ChatAnswer> answer) : IChatModel
    {
        public Task<ChatAnswer> CompleteAsync(ComposedPrompt prompt, CancellationToken ct) => Task.FromResult(answer());
    }

    private static Task<LearnedStyle> Distill(Func<ChatAnswer> answer) =>
        new LlmStyleDistiller(new Scripted(answer), new CountingStyleDistiller(), TimeSpan.FromSeconds(5)).DistillAsync(Shorter, Now, default);

    [Fact]
    public async Task A_known_style_and_clean_rules_are_kept()
    {
        var learned = await Distill(() => new ChatAnswer("Warm", "- Use their name\n\n* Celebrate small wins\n" + new string('x', 300), "m", 1, 1));
        Assert.Equal(Styles.Warm, learned.Style);
        Assert.Equal(["Use their name", "Celebrate small wins"], learned.Rules);
        Assert.Equal(5, learned.FeedbackCount);
    }

    [Fact]
    public async Task None_means_no_style()
    {
        var learned = await Distill(() => new ChatAnswer("none", "Mention the habit by name", "m", 1, 1));
        Assert.Null(learned.Style);
        Assert.Equal(["Mention the habit by name"], learned.Rules);
    }

    [Fact]
    public async Task An_unknown_style_a_missing_answer_or_a_failure_falls_back_to_counting()
    {
        var counted = await new CountingStyleDistiller().DistillAsync(Shorter, Now, default);
        Assert.Equal(Styles.Concise, counted.Style);
        foreach (var fallback in new[]
                 {
                     await Distill(() => new ChatAnswer("sarcastic", "Be mean", "m", 1, 1)),
                     await Distill(() => new ChatAnswer(null, null, "m", 1, 1)),
                     await Distill(() => throw new ChatModelException(ChatModelFailure.Error, "500")),
                 })
        {
            Assert.Equal(counted.Style, fallback.Style);
            Assert.Equal(counted.Rules, fallback.Rules);
        }
    }
}
