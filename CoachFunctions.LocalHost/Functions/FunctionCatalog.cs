using CoachFunctions.LocalHost.Rpc;

namespace CoachFunctions.LocalHost.Functions;

/// <summary>
/// The app's functions, from the first worker that indexed them. Ids are assigned here (the worker
/// returns none) and kept by name across worker restarts, so triggers set up once stay valid.
/// </summary>
internal sealed class FunctionCatalog
{
    private readonly Lock _lock = new();
    private readonly TaskCompletionSource<IReadOnlyList<FunctionDescriptor>> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Dictionary<string, FunctionDescriptor> _byName = new(StringComparer.OrdinalIgnoreCase);
    private Dictionary<string, FunctionDescriptor> _byId = new(StringComparer.Ordinal);
    private readonly List<Action<IReadOnlyList<FunctionDescriptor>>> _onFirstLoad = [];

    /// <summary>
    /// Runs <paramref name="handler"/> synchronously when the first functions are recorded, before the
    /// worker is reported ready, so that e.g. HTTP routes exist by the time anyone waits for the worker.
    /// </summary>
    public void OnFirstLoad(Action<IReadOnlyList<FunctionDescriptor>> handler)
    {
        lock (_lock) _onFirstLoad.Add(handler);
    }

    /// <summary>Completes when the first worker's functions are loaded: triggers start then.</summary>
    public Task<IReadOnlyList<FunctionDescriptor>> FirstLoaded => _first.Task;

    public IReadOnlyList<FunctionDescriptor> All
    {
        get { lock (_lock) return [.. _byName.Values]; }
    }

    public FunctionDescriptor? ById(string id)
    {
        lock (_lock) return _byId.GetValueOrDefault(id);
    }

    public FunctionDescriptor? ByName(string name)
    {
        lock (_lock) return _byName.GetValueOrDefault(name);
    }

    /// <summary>Descriptors for an indexing response, reusing the ids of functions already known by name.</summary>
    public IReadOnlyList<FunctionDescriptor> Describe(IEnumerable<RpcFunctionMetadata> indexed)
    {
        lock (_lock)
        {
            return indexed.Select(metadata =>
            {
                var id = _byName.TryGetValue(metadata.Name, out var known) ? known.Id : Guid.NewGuid().ToString();
                return new FunctionDescriptor(id, metadata.Name, metadata, metadata.RawBindings.Select(BindingDescriptor.Parse).ToList());
            }).ToList();
        }
    }

    /// <summary>Records the functions a worker loaded. Returns false when they differ from the first worker's (a rebuilt app needs a host restart).</summary>
    public bool Loaded(IReadOnlyList<FunctionDescriptor> functions)
    {
        lock (_lock)
        {
            if (_first.Task.IsCompleted)
            {
                return functions.Count == _byName.Count && functions.All(f => _byName.ContainsKey(f.Name));
            }
            _byName = functions.ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);
            _byId = functions.ToDictionary(f => f.Id, StringComparer.Ordinal);
        }
        foreach (var handler in _onFirstLoad) handler(functions);
        _first.TrySetResult(functions);
        return true;
    }
}
