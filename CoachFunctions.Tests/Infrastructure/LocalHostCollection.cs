namespace CoachFunctions.Tests.Infrastructure;

/// <summary>
/// Tests that run a local host, whose queue pollers consume the shared Azurite queues, run one at a
/// time so no host takes another test's messages.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LocalHostCollection
{
    public const string Name = "Local host";
}
