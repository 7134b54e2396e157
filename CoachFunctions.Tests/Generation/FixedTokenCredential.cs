using System.Collections.Concurrent;
using Azure.Core;

namespace CoachFunctions.Tests.Generation;

/// <summary>
/// A real <see cref="TokenCredential"/> that hands out one fixed token and remembers the scopes it
/// was asked for: Entra authentication without Entra.
/// </summary>
public sealed class FixedTokenCredential(string token) : TokenCredential
{
    private readonly ConcurrentQueue<string> _scopes = new();

    public IReadOnlyList<string> Scopes => _scopes.ToArray();

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        foreach (var scope in requestContext.Scopes) _scopes.Enqueue(scope);
        // Valid for an hour from now, whatever the date: the client must not think it needs a refresh.
        return new AccessToken(token, DateTimeOffset.UtcNow.AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        new(GetToken(requestContext, cancellationToken));
}
