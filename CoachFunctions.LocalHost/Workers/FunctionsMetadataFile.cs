using System.Text.Json;
using System.Text.Json.Nodes;
using CoachFunctions.LocalHost.Rpc;

namespace CoachFunctions.LocalHost.Workers;

/// <summary>
/// Host indexing: the SDK-generated functions.metadata, read when the worker asks the host to index
/// (use_default_metadata_indexing). Each binding becomes one raw_bindings JSON string, as the worker sends them.
/// </summary>
internal static class FunctionsMetadataFile
{
    public static List<RpcFunctionMetadata> Read(string appDirectory)
    {
        var path = Path.Combine(appDirectory, "functions.metadata");
        if (!File.Exists(path)) throw new InvalidOperationException($"The worker asked the host to index functions, but '{path}' does not exist.");
        var functions = JsonNode.Parse(File.ReadAllText(path)) as JsonArray ?? throw new FormatException("functions.metadata is not a JSON array.");
        return functions.OfType<JsonObject>().Select(function =>
        {
            var metadata = new RpcFunctionMetadata
            {
                Name = function["name"]?.GetValue<string>() ?? throw new FormatException("A function in functions.metadata has no name."),
                ScriptFile = function["scriptFile"]?.GetValue<string>() ?? "",
                EntryPoint = function["entryPoint"]?.GetValue<string>() ?? "",
                Language = function["language"]?.GetValue<string>() ?? "dotnet-isolated",
                Directory = appDirectory,
            };
            if (function["bindings"] is JsonArray bindings)
            {
                metadata.RawBindings.AddRange(bindings.Select(b => b!.ToJsonString(new JsonSerializerOptions { WriteIndented = false })));
            }
            return metadata;
        }).ToList();
    }
}
