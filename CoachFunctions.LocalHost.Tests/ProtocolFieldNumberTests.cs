using CoachFunctions.LocalHost.Rpc;
using Google.Protobuf;

namespace CoachFunctions.LocalHost.Tests;

/// <summary>
/// The field numbers of our subset of FunctionRpc.proto must equal the public definition's: a wrong
/// number is not an error on the wire, the field just disappears. Numbers copied by hand from
/// Azure/azure-functions-dotnet-worker protos/azure-functions-language-worker-protobuf/src/proto/FunctionRpc.proto.
/// </summary>
public sealed class ProtocolFieldNumberTests
{
    public static TheoryData<string, string, int> Fields => new()
    {
        { "StreamingMessage", "request_id", 1 },
        { "StreamingMessage", "start_stream", 20 },
        { "StreamingMessage", "worker_init_request", 17 },
        { "StreamingMessage", "worker_init_response", 16 },
        { "StreamingMessage", "worker_terminate", 14 },
        { "StreamingMessage", "function_load_request", 8 },
        { "StreamingMessage", "function_load_response", 9 },
        { "StreamingMessage", "invocation_request", 4 },
        { "StreamingMessage", "invocation_response", 5 },
        { "StreamingMessage", "invocation_cancel", 21 },
        { "StreamingMessage", "rpc_log", 2 },
        { "StreamingMessage", "functions_metadata_request", 29 },
        { "StreamingMessage", "function_metadata_response", 30 },
        { "StartStream", "worker_id", 2 },
        { "WorkerInitRequest", "host_version", 1 },
        { "WorkerInitRequest", "capabilities", 2 },
        { "WorkerInitRequest", "worker_directory", 4 },
        { "WorkerInitRequest", "function_app_directory", 5 },
        { "WorkerInitResponse", "capabilities", 2 },
        { "WorkerInitResponse", "result", 3 },
        { "WorkerInitResponse", "worker_metadata", 4 },
        { "WorkerMetadata", "runtime_name", 1 },
        { "WorkerMetadata", "worker_version", 3 },
        { "StatusResult", "status", 4 },
        { "StatusResult", "result", 1 },
        { "StatusResult", "exception", 2 },
        { "WorkerTerminate", "grace_period", 1 },
        { "FunctionLoadRequest", "function_id", 1 },
        { "FunctionLoadRequest", "metadata", 2 },
        { "FunctionLoadResponse", "function_id", 1 },
        { "FunctionLoadResponse", "result", 2 },
        { "RpcFunctionMetadata", "name", 4 },
        { "RpcFunctionMetadata", "directory", 1 },
        { "RpcFunctionMetadata", "script_file", 2 },
        { "RpcFunctionMetadata", "entry_point", 3 },
        { "RpcFunctionMetadata", "bindings", 6 },
        { "RpcFunctionMetadata", "language", 9 },
        { "RpcFunctionMetadata", "raw_bindings", 10 },
        { "RpcFunctionMetadata", "function_id", 13 },
        { "RpcFunctionMetadata", "properties", 16 },
        { "FunctionsMetadataRequest", "function_app_directory", 1 },
        { "FunctionMetadataResponse", "function_metadata_results", 1 },
        { "FunctionMetadataResponse", "result", 2 },
        { "FunctionMetadataResponse", "use_default_metadata_indexing", 3 },
        { "InvocationRequest", "invocation_id", 1 },
        { "InvocationRequest", "function_id", 2 },
        { "InvocationRequest", "input_data", 3 },
        { "InvocationRequest", "trigger_metadata", 4 },
        { "InvocationRequest", "trace_context", 5 },
        { "RpcTraceContext", "trace_parent", 1 },
        { "InvocationCancel", "invocation_id", 2 },
        { "InvocationResponse", "invocation_id", 1 },
        { "InvocationResponse", "output_data", 2 },
        { "InvocationResponse", "return_value", 4 },
        { "InvocationResponse", "result", 3 },
        { "TypedData", "string", 1 },
        { "TypedData", "json", 2 },
        { "TypedData", "bytes", 3 },
        { "TypedData", "stream", 4 },
        { "TypedData", "http", 5 },
        { "TypedData", "int", 6 },
        { "TypedData", "double", 7 },
        { "TypedData", "collection_bytes", 8 },
        { "TypedData", "collection_string", 9 },
        { "TypedData", "collection_double", 10 },
        { "TypedData", "collection_sint64", 11 },
        { "TypedData", "model_binding_data", 12 },
        { "ParameterBinding", "name", 1 },
        { "ParameterBinding", "data", 2 },
        { "BindingInfo", "type", 2 },
        { "BindingInfo", "direction", 3 },
        { "BindingInfo", "data_type", 4 },
        { "RpcLog", "invocation_id", 1 },
        { "RpcLog", "category", 2 },
        { "RpcLog", "level", 3 },
        { "RpcLog", "message", 4 },
        { "RpcLog", "exception", 6 },
        { "RpcLog", "log_category", 8 },
        { "RpcException", "source", 3 },
        { "RpcException", "stack_trace", 1 },
        { "RpcException", "message", 2 },
        { "RpcException", "type", 5 },
        { "ModelBindingData", "version", 1 },
        { "ModelBindingData", "source", 2 },
        { "ModelBindingData", "content_type", 3 },
        { "ModelBindingData", "content", 4 },
        { "RpcHttp", "method", 1 },
        { "RpcHttp", "headers", 3 },
        { "RpcHttp", "status_code", 12 },
    };

    [Theory]
    [MemberData(nameof(Fields))]
    public void Field_numbers_match_the_public_proto(string message, string field, int number)
    {
        var descriptor = FunctionRpcReflection.Descriptor.MessageTypes.Single(m => m.Name == message);
        Assert.Equal(number, descriptor.FindFieldByName(field)?.FieldNumber);
    }

    [Fact]
    public void The_package_service_and_method_are_the_workers()
    {
        var service = FunctionRpcReflection.Descriptor.Services.Single();
        Assert.Equal("AzureFunctionsRpcMessages.FunctionRpc", service.FullName);
        var method = Assert.Single(service.Methods);
        Assert.Equal("EventStream", method.Name);
        Assert.True(method.IsClientStreaming && method.IsServerStreaming);
    }

    [Fact]
    public void Enum_values_match_the_public_proto()
    {
        Assert.Equal(1, (int)StatusResult.Types.Status.Success);
        Assert.Equal(0, (int)StatusResult.Types.Status.Failure);
        Assert.Equal(1, (int)BindingInfo.Types.Direction.Out);
        Assert.Equal(4, (int)RpcLog.Types.Level.Error);
        Assert.Equal(1, (int)RpcLog.Types.RpcLogCategory.System);
    }

    [Fact]
    public void An_invocation_request_encodes_as_computed_by_hand()
    {
        var message = new StreamingMessage
        {
            InvocationRequest = new InvocationRequest
            {
                InvocationId = "i",
                FunctionId = "f",
                InputData = { new ParameterBinding { Name = "n", Data = new TypedData { String = "s" } } },
            },
        };

        // A length-delimited field's tag is (number << 3) | 2. From the inside out:
        //   TypedData.string = 1                 0x0A 01 's'
        //   ParameterBinding name = 1, data = 2  0x0A 01 'n'  0x12 03 <TypedData>
        //   InvocationRequest invocation_id = 1, function_id = 2, input_data = 3
        //                                        0x0A 01 'i'  0x12 01 'f'  0x1A 08 <ParameterBinding>
        //   StreamingMessage invocation_request = 4   0x22 0E <InvocationRequest>
        byte[] typedData = [0x0A, 0x01, (byte)'s'];
        byte[] binding = [0x0A, 0x01, (byte)'n', 0x12, (byte)typedData.Length, .. typedData];
        byte[] request = [0x0A, 0x01, (byte)'i', 0x12, 0x01, (byte)'f', 0x1A, (byte)binding.Length, .. binding];
        byte[] expected = [0x22, (byte)request.Length, .. request];

        Assert.Equal(expected, message.ToByteArray());
    }

    [Fact]
    public void Descriptors_name_no_field_twice()
    {
        foreach (var type in FunctionRpcReflection.Descriptor.MessageTypes)
        {
            var numbers = type.Fields.InDeclarationOrder().Select(f => f.FieldNumber).ToList();
            Assert.Equal(numbers.Count, numbers.Distinct().Count());
        }
    }
}
