using System.Collections.Concurrent;
using System.Net;
using CoachFunctions.LocalHost.Rpc;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CoachFunctions.LocalHost.Tests;

/// <summary>
/// A worker that speaks the protocol like the .NET worker (StartStream, init with an HttpUri,
/// metadata, loads, invocations) and has its own HTTP server that echoes what was forwarded to it.
/// Invocations succeed unless <see cref="Fail"/> says otherwise.
/// </summary>
internal sealed class FakeWorker : IAsyncDisposable
{
    private static readonly Method<StreamingMessage, StreamingMessage> EventStream = new(
        MethodType.DuplexStreaming, "AzureFunctionsRpcMessages.FunctionRpc", "EventStream",
        Marshallers.Create(m => m.ToByteArray(), StreamingMessage.Parser.ParseFrom),
        Marshallers.Create(m => m.ToByteArray(), StreamingMessage.Parser.ParseFrom));

    private readonly GrpcChannel _channel;
    private readonly AsyncDuplexStreamingCall<StreamingMessage, StreamingMessage> _call;
    private readonly WebApplication _http;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Task _reading;

    private FakeWorker(GrpcChannel channel, AsyncDuplexStreamingCall<StreamingMessage, StreamingMessage> call, WebApplication http, IReadOnlyList<RpcFunctionMetadata> functions)
    {
        _channel = channel;
        _call = call;
        _http = http;
        Functions = functions;
        _reading = ReadAsync();
    }

    public IReadOnlyList<RpcFunctionMetadata> Functions { get; }

    public ConcurrentQueue<InvocationRequest> Invocations { get; } = new();

    public ConcurrentQueue<FunctionLoadRequest> Loads { get; } = new();

    /// <summary>Which function names fail their invocations.</summary>
    public HashSet<string> Fail { get; } = new(StringComparer.Ordinal);

    public Task Completion => _reading;

    public static RpcFunctionMetadata Function(string name, params string[] rawBindings)
    {
        var metadata = new RpcFunctionMetadata { Name = name, ScriptFile = "CoachFunctions.dll", EntryPoint = $"Fake.{name}", Language = "dotnet-isolated" };
        metadata.RawBindings.AddRange(rawBindings);
        return metadata;
    }

    public static async Task<FakeWorker> ConnectAsync(Uri grpcUri, IReadOnlyList<RpcFunctionMetadata> functions, string workerId = "fake-worker")
    {
        var http = WebApplication.CreateSlimBuilder();
        http.Logging.ClearProviders();
        http.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = http.Build();
        app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            if (context.Request.Path.Value!.Contains("empty", StringComparison.Ordinal)) return;
            await context.Response.WriteAsJsonAsync(new
            {
                method = context.Request.Method,
                path = context.Request.Path.Value,
                query = context.Request.QueryString.Value,
                invocationId = context.Request.Headers["x-ms-invocation-id"].ToString(),
                forwardedHost = context.Request.Headers["X-Forwarded-Host"].ToString(),
                custom = context.Request.Headers["X-Custom"].ToString(),
                body,
            });
        });
        await app.StartAsync();

        var channel = GrpcChannel.ForAddress(grpcUri);
        var call = channel.CreateCallInvoker().AsyncDuplexStreamingCall(EventStream, null, new CallOptions());
        await call.RequestStream.WriteAsync(new StreamingMessage { StartStream = new StartStream { WorkerId = workerId } });
        var worker = new FakeWorker(channel, call, app, functions);
        return worker;
    }

    private Uri HttpUri => new(_http.Urls.First());

    private async Task ReadAsync()
    {
        try
        {
            await foreach (var message in _call.ResponseStream.ReadAllAsync())
            {
                switch (message.ContentCase)
                {
                    case StreamingMessage.ContentOneofCase.WorkerInitRequest:
                        await WriteAsync(new StreamingMessage
                        {
                            WorkerInitResponse = new WorkerInitResponse
                            {
                                Capabilities = { ["HttpUri"] = HttpUri.ToString() },
                                Result = new StatusResult { Status = StatusResult.Types.Status.Success },
                            },
                        });
                        break;
                    case StreamingMessage.ContentOneofCase.FunctionsMetadataRequest:
                        await WriteAsync(new StreamingMessage
                        {
                            FunctionMetadataResponse = new FunctionMetadataResponse
                            {
                                FunctionMetadataResults = { Functions },
                                Result = new StatusResult { Status = StatusResult.Types.Status.Success },
                            },
                        });
                        break;
                    case StreamingMessage.ContentOneofCase.FunctionLoadRequest:
                        Loads.Enqueue(message.FunctionLoadRequest);
                        await WriteAsync(new StreamingMessage
                        {
                            FunctionLoadResponse = new FunctionLoadResponse
                            {
                                FunctionId = message.FunctionLoadRequest.FunctionId,
                                Result = new StatusResult { Status = StatusResult.Types.Status.Success },
                            },
                        });
                        break;
                    case StreamingMessage.ContentOneofCase.InvocationRequest:
                        Invocations.Enqueue(message.InvocationRequest);
                        var name = Loads.First(l => l.FunctionId == message.InvocationRequest.FunctionId).Metadata.Name;
                        await WriteAsync(new StreamingMessage
                        {
                            InvocationResponse = new InvocationResponse
                            {
                                InvocationId = message.InvocationRequest.InvocationId,
                                Result = Fail.Contains(name)
                                    ? new StatusResult { Status = StatusResult.Types.Status.Failure, Exception = new Rpc.RpcException { Message = "secret detail", Type = "System.InvalidOperationException" } }
                                    : new StatusResult { Status = StatusResult.Types.Status.Success },
                            },
                        });
                        break;
                    case StreamingMessage.ContentOneofCase.WorkerTerminate:
                        await _call.RequestStream.CompleteAsync();
                        return;
                }
            }
        }
        catch (Grpc.Core.RpcException)
        {
            // The host ended or refused the stream.
        }
    }

    private async Task WriteAsync(StreamingMessage message)
    {
        await _writeLock.WaitAsync();
        try { await _call.RequestStream.WriteAsync(message); }
        finally { _writeLock.Release(); }
    }

    public async ValueTask DisposeAsync()
    {
        _call.Dispose();
        try { await _reading; } catch (Exception e) when (e is OperationCanceledException or Grpc.Core.RpcException) { }
        _channel.Dispose();
        await _http.DisposeAsync();
    }
}
