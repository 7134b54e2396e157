using CoachFunctions.LocalHost.Functions;
using CoachFunctions.LocalHost.Rpc;
using Grpc.Core;
using RpcException = Grpc.Core.RpcException;
using Status = Grpc.Core.Status;
using Microsoft.Extensions.Logging;

namespace CoachFunctions.LocalHost.Workers;

/// <summary>
/// The one worker this host serves. A stream that arrives while another worker is connected is
/// refused, and so is one from a process this host did not start (when it starts its own).
/// Callers wait here for a ready worker: connected, initialised and with its functions loaded.
/// </summary>
internal sealed class WorkerSlot(FunctionCatalog catalog, WorkerLogWriter logs, AppLocation app, ILoggerFactory loggers)
{
    private readonly ILogger _logger = loggers.CreateLogger("Host.Worker");

    private readonly Lock _lock = new();
    private WorkerConnection? _current;
    private TaskCompletionSource<WorkerConnection> _ready = NewReady();
    private string? _expectedWorkerId;

    /// <summary>Set by the process supervisor before it starts a worker: only that worker may connect. Null accepts any.</summary>
    public void Expect(string? workerId)
    {
        lock (_lock) _expectedWorkerId = workerId;
    }

    public WorkerConnection? Current
    {
        get { lock (_lock) return _current; }
    }

    /// <summary>The ready worker, waiting for one (e.g. during a restart) until the token is cancelled.</summary>
    public Task<WorkerConnection> WaitReadyAsync(CancellationToken cancellationToken)
    {
        lock (_lock) return _ready.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Serves one worker's EventStream for as long as it lasts.</summary>
    public async Task ServeAsync(IAsyncStreamReader<StreamingMessage> requests, IServerStreamWriter<StreamingMessage> responses, ServerCallContext context)
    {
        if (!await requests.MoveNext(context.CancellationToken) || requests.Current.ContentCase != StreamingMessage.ContentOneofCase.StartStream)
            throw new RpcException(new Status(StatusCode.InvalidArgument, "The first message must be StartStream."));
        var workerId = requests.Current.StartStream.WorkerId;

        WorkerConnection connection;
        lock (_lock)
        {
            if (_current is not null)
            {
                _logger.LogWarning("Refused worker {WorkerId}: worker {Current} is connected and this host serves one at a time.", workerId, _current.WorkerId);
                throw new RpcException(new Status(StatusCode.ResourceExhausted, "This host serves one worker at a time."));
            }
            if (_expectedWorkerId is not null && _expectedWorkerId != workerId)
            {
                _logger.LogWarning("Refused worker {WorkerId}: this host is waiting for the worker it started ({Expected}).", workerId, _expectedWorkerId);
                throw new RpcException(new Status(StatusCode.PermissionDenied, "Unknown worker id."));
            }
            connection = new WorkerConnection(workerId, requests, responses, logs, _logger, context.CancellationToken);
            _current = connection;
        }

        _logger.LogDebug("Worker {WorkerId} connected.", workerId);
        var running = connection.RunAsync();
        try
        {
            var functions = await connection.InitializeAsync(catalog, app.Directory, context.CancellationToken);
            if (connection.HttpUri is { } httpUri) await WaitUntilListeningAsync(httpUri, context.CancellationToken);
            if (!catalog.Loaded(functions))
                _logger.LogWarning("The restarted worker's functions differ from the first worker's; restart the local host to pick up the change.");
            lock (_lock) _ready.TrySetResult(connection);
            _logger.LogInformation("Worker {WorkerId} ready: {Count} functions loaded.", workerId, functions.Count);
        }
        catch (Exception e) when (e is not OperationCanceledException || !context.CancellationToken.IsCancellationRequested)
        {
            _logger.LogError("Worker {WorkerId} failed to start: {Error}", workerId, e.Message);
            connection.Close();
        }

        await running;
        lock (_lock)
        {
            _current = null;
            if (_ready.Task.IsCompletedSuccessfully && ReferenceEquals(_ready.Task.Result, connection)) _ready = NewReady();
        }
        _logger.LogDebug("Worker {WorkerId} disconnected.", workerId);
    }

    private static TaskCompletionSource<WorkerConnection> NewReady() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// The worker reports its HttpUri before its HTTP server accepts connections; a request forwarded
    /// in that gap is refused while its invocation waits 15 s for it. So "ready" waits for the port.
    /// </summary>
    private async Task WaitUntilListeningAsync(Uri httpUri, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var probe = new System.Net.Sockets.TcpClient();
                await probe.ConnectAsync(httpUri.Host, httpUri.Port, cancellationToken);
                return;
            }
            catch (System.Net.Sockets.SocketException)
            {
                await Task.Delay(50, cancellationToken);
            }
        }
        _logger.LogWarning("The worker's HTTP server at {HttpUri} does not accept connections; HTTP functions will fail.", httpUri);
    }
}
