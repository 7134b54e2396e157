using CoachFunctions.Hosting.Invocation;

namespace CoachFunctions.Hosting;

/// <summary>
/// A non-HTTP function (timer or queue trigger): invocation in, outputs out. The Functions host
/// reaches it through <c>POST /{Name}</c>; the local host calls it directly with the same envelope.
/// </summary>
public interface IFunction
{
    /// <summary>The function's folder name under Functions/, as the host calls it.</summary>
    string Name { get; }

    Task<InvocationResult> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken);
}
