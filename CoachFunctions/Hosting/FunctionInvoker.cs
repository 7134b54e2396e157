using CoachFunctions.Hosting.Invocation;

namespace CoachFunctions.Hosting;

/// <summary>Finds a non-HTTP function by the name the host uses and runs it.</summary>
public sealed class FunctionInvoker(IEnumerable<IFunction> functions, ILogger<FunctionInvoker> logger)
{
    private readonly Dictionary<string, IFunction> _byName =
        functions.ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);

    public bool Exists(string name) => _byName.ContainsKey(name);

    public async Task<InvocationResult> InvokeAsync(string name, InvocationRequest request, CancellationToken ct)
    {
        var function = _byName[name];
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["FunctionName"] = function.Name });
        return await function.InvokeAsync(request, ct);
    }
}
