namespace CoachFunctions.Functions.SendToChannel;

/// <summary>
/// The message on the channel-sends queue: try <see cref="Channel"/> for one prompt, this
/// <see cref="Attempt"/> (from 1). <see cref="Order"/> is the whole order chosen at dispatch (in-app
/// last), so a channel that gives up hands over to the next one without reading preferences again.
/// </summary>
public sealed record ChannelSendRequest(string UserId, string PromptId, string Channel, int Attempt, IReadOnlyList<string> Order);
