using System.Collections.Concurrent;
using System.Threading.Channels;
using CoachFunctions.LocalHost.Functions;
using CoachFunctions.LocalHost.Rpc;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using RpcException = Grpc.Core.RpcException;
using Status = Grpc.Core.Status;
using Microsoft.Extensions.Logging;

namespace CoachFunctions.LocalHost.Workers;

/// <summary>
/// One worker's event stream: a reader that dispatches responses and logs, a single writer (a gRPC
/// stream takes one write at a time), and the requests waiting for their responses. When the stream
/// ends every waiting request fails with <see cref="WorkerUnavailableException"/>.
/// </summary>
internal sealed class WorkerConnection
{
    public static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(90);

    private readonly IAsyncStreamReader<StreamingMessage> _reader;
    private readonly IServerStreamWriter<StreamingMessage> _writer;
    private readonly WorkerLogWriter _logs;
    private readonly ILogger _logger;
    private readonly Channel<StreamingMessage> _outbox = Channel.CreateUnbounded<StreamingMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, TaskCompletionSource<StreamingMessage>> _pending = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _invocationFunctions = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _closed;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public WorkerConnection(string workerId, IAsyncStreamReader<StreamingMessage> reader, IServerStreamWriter<StreamingMessage> writer,
        WorkerLogWriter logs, ILogger logger, CancellationToken streamAborted)
    {
        WorkerId = workerId;
        _reader = reader;
        _writer = writer;
        _logs = logs;
        _logger = logger;
        _closed = CancellationTokenSource.CreateLinkedTokenSource(streamAborted);
    }

    public string WorkerId { get; }

    /// <summary>The worker's own HTTP server (ASP.NET Core integration), from its init response.</summary>
    public Uri? HttpUri { get; private set; }

    public IReadOnlyDictionary<string, string> Capabilities { get; private set; } = new Dictionary<string, string>();

    /// <summary>Completes when the stream has ended, for whatever reason.</summary>
    public Task Completion => _completion.Task;

    public bool IsOpen => !_completion.Task.IsCompleted;

    public int InFlightInvocations => _invocationFunctions.Count;

    /// <summary>Pumps the stream until the worker ends it, it breaks, or <see cref="Close"/>.</summary>
    public async Task RunAsync()
    {
        var writing = WriteLoopAsync(_closed.Token);
        try
        {
            while (await _reader.MoveNext(_closed.Token)) Dispatch(_reader.Current);
            _logger.LogDebug("Worker {WorkerId} ended its stream.", WorkerId);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or RpcException or InvalidOperationException)
        {
            if (!_closed.IsCancellationRequested) _logger.LogWarning("The stream of worker {WorkerId} broke: {Error}", WorkerId, e.Message);
        }
        finally
        {
            _outbox.Writer.TryComplete();
            await _closed.CancelAsync();
            try { await writing; } catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException or RpcException) { }
            foreach (var (key, waiting) in _pending)
            {
                if (_pending.TryRemove(key, out _)) waiting.TrySetException(new WorkerUnavailableException($"Worker {WorkerId} disconnected."));
            }
            _completion.TrySetResult();
        }
    }

    public void Close() => _closed.Cancel();

    /// <summary>WorkerInitRequest, FunctionsMetadataRequest and a FunctionLoadRequest per function, in the host's order.</summary>
    public async Task<IReadOnlyList<FunctionDescriptor>> InitializeAsync(FunctionCatalog catalog, string appDirectory, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StartupTimeout);
        var ct = timeout.Token;

        var init = (await RequestAsync("init", new StreamingMessage
        {
            WorkerInitRequest = new WorkerInitRequest
            {
                HostVersion = HostVersion.Value,
                WorkerDirectory = appDirectory,
                FunctionAppDirectory = appDirectory,
            },
        }, ct)).WorkerInitResponse;
        EnsureSuccess(init.Result, "initialise");
        Capabilities = init.Capabilities.ToDictionary();
        if (init.Capabilities.TryGetValue("HttpUri", out var httpUri) && Uri.TryCreate(httpUri, UriKind.Absolute, out var uri)) HttpUri = uri;
        _logger.LogDebug("Worker {WorkerId} initialised ({Runtime} {Version}); HTTP at {HttpUri}.", WorkerId,
            init.WorkerMetadata?.RuntimeName, init.WorkerMetadata?.WorkerVersion, HttpUri);

        var indexed = (await RequestAsync("metadata", new StreamingMessage
        {
            FunctionsMetadataRequest = new FunctionsMetadataRequest { FunctionAppDirectory = appDirectory },
        }, ct)).FunctionMetadataResponse;
        EnsureSuccess(indexed.Result, "index its functions");
        var metadata = indexed.UseDefaultMetadataIndexing
            ? FunctionsMetadataFile.Read(appDirectory)
            : indexed.FunctionMetadataResults.ToList();

        var functions = catalog.Describe(metadata);
        var loads = functions.Select(async function =>
        {
            var response = (await RequestAsync($"load:{function.Id}", new StreamingMessage { FunctionLoadRequest = function.ToLoadRequest() }, ct)).FunctionLoadResponse;
            if (response.Result?.Status == StatusResult.Types.Status.Success) return function;
            _logger.LogError("Function {Function} failed to load: {Error}", function.Name, response.Result?.Exception?.Message ?? response.Result?.Result);
            return null;
        });
        return (await Task.WhenAll(loads)).OfType<FunctionDescriptor>().ToList();
    }

    /// <summary>Sends an invocation and waits for its response. Cancelling sends InvocationCancel and stops waiting.</summary>
    public async Task<InvocationResponse> InvokeAsync(InvocationRequest request, string functionName, CancellationToken cancellationToken)
    {
        _invocationFunctions[request.InvocationId] = functionName;
        try
        {
            return (await RequestAsync($"invoke:{request.InvocationId}", new StreamingMessage { InvocationRequest = request }, cancellationToken)).InvocationResponse;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && IsOpen)
        {
            _outbox.Writer.TryWrite(new StreamingMessage { InvocationCancel = new InvocationCancel { InvocationId = request.InvocationId } });
            throw;
        }
        finally
        {
            _invocationFunctions.TryRemove(request.InvocationId, out _);
        }
    }

    /// <summary>Asks the worker to stop; it exits on its own within the grace period (or is killed).</summary>
    public void Terminate(TimeSpan gracePeriod) =>
        _outbox.Writer.TryWrite(new StreamingMessage { WorkerTerminate = new WorkerTerminate { GracePeriod = Duration.FromTimeSpan(gracePeriod) } });

    private async Task<StreamingMessage> RequestAsync(string key, StreamingMessage message, CancellationToken cancellationToken)
    {
        var waiting = new TaskCompletionSource<StreamingMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_pending.TryAdd(key, waiting)) throw new InvalidOperationException($"A request '{key}' is already waiting.");
        try
        {
            message.RequestId = Guid.NewGuid().ToString();
            if (!IsOpen || !_outbox.Writer.TryWrite(message)) throw new WorkerUnavailableException($"Worker {WorkerId} is disconnected.");
            return await waiting.Task.WaitAsync(cancellationToken);
        }
        finally
        {
            _pending.TryRemove(key, out _);
        }
    }

    private async Task WriteLoopAsync(CancellationToken cancellationToken)
    {
        await foreach (var message in _outbox.Reader.ReadAllAsync(cancellationToken))
        {
            await _writer.WriteAsync(message, cancellationToken);
        }
    }

    private void Dispatch(StreamingMessage message)
    {
        var key = message.ContentCase switch
        {
            StreamingMessage.ContentOneofCase.WorkerInitResponse => "init",
            StreamingMessage.ContentOneofCase.FunctionMetadataResponse => "metadata",
            StreamingMessage.ContentOneofCase.FunctionLoadResponse => $"load:{message.FunctionLoadResponse.FunctionId}",
            StreamingMessage.ContentOneofCase.InvocationResponse => $"invoke:{message.InvocationResponse.InvocationId}",
            _ => null,
        };
        if (message.ContentCase == StreamingMessage.ContentOneofCase.RpcLog)
        {
            var log = message.RpcLog;
            _logs.Write(log, string.IsNullOrEmpty(log.InvocationId) ? null : _invocationFunctions.GetValueOrDefault(log.InvocationId));
        }
        else if (key is not null && _pending.TryGetValue(key, out var waiting))
        {
            waiting.TrySetResult(message);
        }
        else
        {
            _logger.LogDebug("Worker {WorkerId} sent an unexpected {Content}.", WorkerId, message.ContentCase);
        }
    }

    private static void EnsureSuccess(StatusResult? result, string what)
    {
        if (result is null || result.Status == StatusResult.Types.Status.Success) return;
        throw new InvalidOperationException($"The worker failed to {what}: {result.Exception?.Message ?? result.Result}");
    }
}
