using CoachFunctions.Channels.WeCom;

namespace CoachFunctions.Functions.WeComCallback;

/// <summary>How the callback routes answer what they turn away: problem details that name the check, never a secret.</summary>
internal static class CallbackAnswers
{
    public static IResult NotConfigured() =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found.", detail: "The WeCom channel is not configured.");

    public static IResult Refused(CallbackFailure failure) => failure switch
    {
        CallbackFailure.Malformed => Api.Problems.BadRequest("msg_signature, timestamp, nonce and the encrypted value are required."),
        CallbackFailure.Stale => Forbidden("The timestamp is too far from now."),
        CallbackFailure.BadSignature => Forbidden("The signature does not verify."),
        CallbackFailure.Undecryptable => Api.Problems.BadRequest("The encrypted value does not decrypt."),
        CallbackFailure.WrongReceiver => Forbidden("The message is not for this corp."),
        _ => throw new ArgumentOutOfRangeException(nameof(failure)),
    };

    private static IResult Forbidden(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "The callback is refused.", detail: detail);
}
