using CoachFunctions.LocalHost.Rpc;

namespace CoachFunctions.LocalHost.Functions;

/// <summary>A function as the worker indexed it, with the id this host assigned.</summary>
internal sealed record FunctionDescriptor(string Id, string Name, RpcFunctionMetadata Metadata, IReadOnlyList<BindingDescriptor> Bindings)
{
    public BindingDescriptor? Trigger => Bindings.FirstOrDefault(b => b.IsTrigger && !b.IsOutput);

    public IEnumerable<BindingDescriptor> Outputs => Bindings.Where(b => b.IsOutput);

    /// <summary>
    /// The load request the .NET worker expects: the indexed metadata with our id and the bindings map
    /// filled in (the worker builds its input and output bindings from that map, not from raw_bindings).
    /// </summary>
    public FunctionLoadRequest ToLoadRequest()
    {
        var metadata = Metadata.Clone();
        metadata.FunctionId = Id;
        metadata.Bindings.Clear();
        foreach (var binding in Bindings)
        {
            metadata.Bindings[binding.Name] = new BindingInfo
            {
                Type = binding.Type,
                Direction = binding.IsOutput ? BindingInfo.Types.Direction.Out : BindingInfo.Types.Direction.In,
                DataType = binding.DataType?.ToLowerInvariant() switch
                {
                    "string" => BindingInfo.Types.DataType.String,
                    "binary" => BindingInfo.Types.DataType.Binary,
                    "stream" => BindingInfo.Types.DataType.Stream,
                    _ => BindingInfo.Types.DataType.Undefined,
                },
            };
        }
        return new FunctionLoadRequest { FunctionId = Id, Metadata = metadata };
    }
}
