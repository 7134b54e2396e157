namespace CoachFunctions.Tests.Infrastructure;

/// <summary>Fixed keys for test hosts: the app's user-token signing key (the local host mints dev sign-in tokens with it).</summary>
public static class TestKeys
{
    public static readonly string SigningKey = Convert.ToBase64String(Enumerable.Range(0, 32).Select(i => (byte)(i * 7 + 1)).ToArray());
}
