using CoachFunctions.Functions.AdminScan;
using CoachFunctions.Functions.PromptFeedback;
using CoachFunctions.Functions.Events;
using CoachFunctions.Functions.EditHabit;
using CoachFunctions.Functions.DistillLearned;
using CoachFunctions.Functions.AdminGeneratePrompt;
using CoachFunctions.Functions.AckPrompt;
using CoachFunctions.Api;
using CoachFunctions.Functions.AdminStats;
using CoachFunctions.Functions.Contacts;
using CoachFunctions.Functions.Habits;
using CoachFunctions.Functions.Negotiate;
using CoachFunctions.Functions.Preferences;
using CoachFunctions.Functions.RecordCompletion;
using CoachFunctions.Functions.RespondToPrompt;
using CoachFunctions.Functions.Welcome;
using CoachFunctions.Functions.AdminTemplates;
using CoachFunctions.Functions.WeComCallback;

namespace CoachFunctions.Functions.OpenApi;

/// <summary>What the OpenAPI document says about one route, found by its function name.</summary>
/// <param name="Idempotent">Takes an optional <c>Idempotency-Key</c> header (a retry with it gets the first answer).</param>
/// <param name="MayBeEmpty">May also succeed with 204 and no body (besides <paramref name="Status"/> with <paramref name="Response"/>).</param>
/// <param name="RequestMediaType">Not JSON (WeCom's XML callback): the body is described as a string of that type.</param>
public sealed record ApiDoc(string Tag, string Summary, int Status, Type? Response, Type? Request = null, bool RequestOptional = false, bool Idempotent = false,
    bool MayBeEmpty = false, string? RequestMediaType = null, params int[] Problems);

/// <summary>
/// The document's words for each HTTP function, by function name, kept here rather than on each
/// function so the functions stay small. Routes, methods and access come from the functions'
/// own attributes (<see cref="ApiRoutes"/>); OpenApiDocumentTests fails when a function has no entry.
/// </summary>
public static class ApiDocs
{
    public static readonly IReadOnlyDictionary<string, ApiDoc> ByFunctionName = new Dictionary<string, ApiDoc>
    {
        ["Negotiate"] = new("realtime", "SignalR connection info (hub URL and access token) bound to the caller.", 200, typeof(NegotiateResponse), Problems: [503]),
        ["ListPrompts"] = new("prompts", "The caller's prompts, newest first, optionally in one state, a page at a time.", 200, typeof(PromptPage), Problems: [400]),
        ["GetPrompt"] = new("prompts", "One of the caller's prompts (anyone else's is not found).", 200, typeof(PromptView), Problems: [404]),
        ["RespondToPrompt"] = new("prompts", "Answer a prompt with a quick reply value or free text; with an Idempotency-Key, a retry within 24 h gets the first answer.", 200,
            typeof(RespondResult), typeof(RespondRequest), Idempotent: true, Problems: [400, 404, 409, 413, 415, 422]),
        ["GetPreferences"] = new("preferences", "The caller's coaching preferences (defaults until set).", 200, typeof(PreferencesView)),
        ["PutPreferences"] = new("preferences", "Update the caller's preferences; omitted fields keep their value.", 200, typeof(PreferencesView), typeof(PreferencesUpdate),
            Problems: [400, 413, 415]),
        ["GetContacts"] = new("contacts", "The caller's e-mail address and push devices, for the e-mail and push channels (empty until set).", 200, typeof(ContactsView)),
        ["PutContacts"] = new("contacts", "Replace the caller's e-mail address and push devices (at most 10: token, platform ios, android or web); nothing is stored unless all are valid.",
            200, typeof(ContactsView), typeof(ContactsUpdate), Problems: [400, 413, 415]),
        ["ListHabits"] = new("habits", "The caller's habits, each with its current streak and the dates it was done in the last 28 days (local, oldest first).", 200, typeof(HabitList)),
        ["CreateHabit"] = new("habits", "Create a habit: a name, an optional start date and optional weekdays (default daily).", 201, typeof(HabitView),
            typeof(CreateHabitRequest), Problems: [400, 413, 415]),
        ["RecordCompletion"] = new("habits", "Record the habit as done today, or on a past date.", 201, typeof(CompletionCreated), typeof(CompletionRequest),
            RequestOptional: true, Problems: [400, 404, 409, 413, 415]),
        ["AckPrompt"] = new("prompts", "Acknowledge delivery or display of a prompt: status delivered or seen; forward only, idempotent.", 200, typeof(PromptView), typeof(AckRequest),
            Problems: [400, 404, 409, 413, 415]),
        ["DismissPrompt"] = new("prompts", "Dismiss one of the caller's prompts (an answered prompt cannot be dismissed).", 204, null, Problems: [404, 409]),
        ["PromptFeedback"] = new("learning", "Like, dislike or correct a prompt; enough new feedback is distilled into the learned style; with an Idempotency-Key, a retry within 24 h gets the first answer.",
            201, null, typeof(FeedbackRequest), Idempotent: true, Problems: [400, 404, 409, 413, 415, 422]),
        ["ResetLearned"] = new("learning", "Forget the style and rules learned from the caller's feedback.", 204, null),
        ["DistillLearned"] = new("learning", "Distil the caller's feedback into the learned style now.", 200, typeof(LearnedView), typeof(EmptyRequest), RequestOptional: true,
            Problems: [400, 413, 415]),
        ["UpdateHabit"] = new("habits", "Edit, pause or resume a habit; omitted fields keep their value; If-Match guards against lost updates.", 200, typeof(HabitView), typeof(UpdateHabitRequest),
            Problems: [400, 404, 409, 412, 413, 415]),
        ["DeleteHabit"] = new("habits", "Delete a habit; its past completions stay as history.", 204, null, Problems: [404, 409, 412]),
        ["ReportEvent"] = new("activity", "Report activity: conversation, progress or context_change (with its context, such as travel).", 201, null, typeof(EventRequest),
            Problems: [400, 413, 415]),
        ["AdminScan"] = new("admin", "Admin: run a scan now, one message per user shard, exactly as a timer tick does (all: judge every user).", 202, typeof(ScanStarted),
            typeof(AdminScanRequest), RequestOptional: true, Problems: [400]),
        ["AdminGeneratePrompt"] = new("admin", "Admin: queue a detection of a given type for a user (frequency control still applies).", 202, null, typeof(AdminGenerateRequest),
            Problems: [400, 413, 415]),
        ["AdminStats"] = new("admin", "Admin: measures of the last N UTC days (days=1..90, default 7), summed over every instance.", 200, typeof(StatsReport),
            Problems: [400]),
        ["Welcome"] = new("welcome", "Seed 002's welcome bubble: one short line for a page (feed, habits, preferences, admin) on open, timer or operation; cached per user and page for 30 min, " +
            "new lines at most every 60 s (timer) or 10 s (operation) per user, inside which the cached line or 204.", 200, typeof(WelcomeView), typeof(WelcomeRequest),
            MayBeEmpty: true, Problems: [400, 413, 415]),
        ["GetTemplate"] = new("admin", "Admin: a message template (wecom_text, wecom_miniprogram_title), the built-in default until one is stored.", 200, typeof(TemplateView),
            Problems: [404]),
        ["PutTemplate"] = new("admin", "Admin: replace a message template: known placeholders only ({title}, {message}, {habitName}, {name}; {{ and }} for braces), within its length.",
            200, typeof(TemplateView), typeof(TemplateUpdate), Problems: [400, 404, 413, 415]),
        ["WeComLink"] = new("channels", "Link the caller's WeChat to the WeCom customer-service channel: a contact URL whose one-time scene_param (10 minutes) binds whoever opens it to the caller.",
            200, typeof(WeComLinkView), Problems: [404]),
        ["WeComVerifyUrl"] = new("channels", "WeCom's callback URL check (anonymous, signed with msg_signature): answers the decrypted echostr as text/plain.", 200, null,
            Problems: [400, 403, 404]),
        ["WeComCallback"] = new("channels", "WeCom's event callback (anonymous, signed and AES-encrypted XML): kf_msg_or_event pulls the new messages and records sessions; answers success as text/plain.",
            200, null, typeof(string), RequestMediaType: "text/xml", Problems: [400, 403, 404]),
        ["Health"] = new("health", "Liveness and storage reachability (anonymous).", 200, typeof(HealthStatus), Problems: [503]),
    };
}
