using System.Collections.Concurrent;

namespace CoachFunctions.LocalHost.SignalR;

/// <summary>Who is connected to which hub, for the REST "is this user connected" checks.</summary>
internal sealed class ClientConnections
{
    private readonly ConcurrentDictionary<string, (string Hub, string? UserId)> _connections = new(StringComparer.Ordinal);

    public void Add(string connectionId, string hub, string? userId) => _connections[connectionId] = (HubNames.Normalize(hub), userId);

    public void Remove(string connectionId) => _connections.TryRemove(connectionId, out _);

    public bool HasUser(string hub, string userId)
    {
        var normalized = HubNames.Normalize(hub);
        return _connections.Values.Any(c => c.Hub == normalized && c.UserId == userId);
    }

    public bool HasConnection(string hub, string connectionId) =>
        _connections.TryGetValue(connectionId, out var c) && c.Hub == HubNames.Normalize(hub);
}
