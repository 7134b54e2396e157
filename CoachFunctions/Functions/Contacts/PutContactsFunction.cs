using CoachFunctions.Api;
using CoachFunctions.Coaching.Channels;
using CoachFunctions.Storage.Tables;
using Microsoft.Azure.Functions.Worker;

namespace CoachFunctions.Functions.Contacts;

/// <summary>
/// Replaces the caller's contacts: validated as a whole (<see cref="UserContacts.Validate"/>), and
/// nothing is stored unless every field is valid. The user is the token's subject, never a field.
/// </summary>
public sealed class PutContactsFunction(ContactStore contacts)
{
    [Function("PutContacts")]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "contacts")] HttpRequest req, CancellationToken ct)
    {
        var (update, problem) = await JsonBody.ReadAsync<ContactsUpdate>(req, ct);
        if (problem is not null) return problem;
        var (valid, errors) = UserContacts.Validate(update!.Email, update.Devices);
        if (valid is null) return Problems.BadRequest("Some contacts are invalid.", errors);
        await contacts.SaveAsync(req.HttpContext.User.Id(), valid, ct);
        return Results.Ok(ContactsView.From(valid));
    }
}
