using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;

namespace CoachFunctions.LocalHost.SignalR;

/// <summary>
/// The JSON hub protocol, except that a client's hub invocation is a protocol error, which makes
/// SignalR close that connection: in Serverless mode the Service disconnects a client that invokes.
/// (A hub filter would not do: SignalR answers unknown methods before any filter runs.)
/// </summary>
internal sealed class ServerlessHubProtocol(IOptions<JsonHubProtocolOptions> options) : IHubProtocol
{
    private readonly JsonHubProtocol _json = new(options);

    public string Name => _json.Name;

    public int Version => _json.Version;

    public TransferFormat TransferFormat => _json.TransferFormat;

    public bool IsVersionSupported(int version) => _json.IsVersionSupported(version);

    public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [NotNullWhen(true)] out HubMessage? message)
    {
        if (!_json.TryParseMessage(ref input, binder, out message)) return false;
        // An unknown method parses as a binding failure, not as an invocation: both count.
        if (message is HubMethodInvocationMessage or InvocationBindingFailureMessage or StreamBindingFailureMessage)
            throw new InvalidDataException("Clients cannot invoke hub methods in Serverless mode.");
        return true;
    }

    public void WriteMessage(HubMessage message, IBufferWriter<byte> output) => _json.WriteMessage(message, output);

    public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message) => _json.GetMessageBytes(message);
}
