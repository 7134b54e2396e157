using CoachFunctions.LocalHost.Rpc;
using Grpc.Core;

namespace CoachFunctions.LocalHost.Workers;

/// <summary>The gRPC server side of the worker protocol: the worker connects here and the slot serves it.</summary>
internal sealed class FunctionRpcService(WorkerSlot slot) : FunctionRpc.FunctionRpcBase
{
    public override Task EventStream(IAsyncStreamReader<StreamingMessage> requestStream, IServerStreamWriter<StreamingMessage> responseStream, ServerCallContext context) =>
        slot.ServeAsync(requestStream, responseStream, context);
}
