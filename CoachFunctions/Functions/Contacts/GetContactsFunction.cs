using CoachFunctions.Api;
using CoachFunctions.Storage.Tables;
using Microsoft.Azure.Functions.Worker;

namespace CoachFunctions.Functions.Contacts;

/// <summary>The caller's own e-mail address and push devices (empty until set); only ever the token's user.</summary>
public sealed class GetContactsFunction(ContactStore contacts)
{
    [Function("GetContacts")]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "contacts")] HttpRequest req, CancellationToken ct) =>
        Results.Ok(ContactsView.From(await contacts.GetAsync(req.HttpContext.User.Id(), ct)));
}
