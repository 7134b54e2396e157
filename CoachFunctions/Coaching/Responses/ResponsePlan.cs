namespace CoachFunctions.Coaching.Responses;

/// <summary>What answering a prompt changes: the follow-up to say, and the habit completion to record if any.</summary>
public sealed record ResponsePlan(string Action, string FollowUp, HabitCompletion? Completion);

/// <summary>A habit done on a local calendar date.</summary>
public sealed record HabitCompletion(string HabitId, DateOnly Date);

/// <summary>Why an answer was refused; the API turns each into a clear problem.</summary>
public enum ResponseRefusal
{
    AlreadyAnswered,
    NotOpen,
    UnknownReply,
    NoHabit,
}
