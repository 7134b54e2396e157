using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace CoachFunctions.LocalHost.Timers;

/// <summary>
/// The schedule monitor's memory, in a JSON file per timer under the app folder's .localhost/timers
/// (the real host keeps it in a blob, azure-webjobs-hosts/timers/...). A missing or unreadable file
/// means "never ran".
/// </summary>
internal sealed class ScheduleStatusStore(string directory, ILogger<ScheduleStatusStore> logger)
{
    public ScheduleStatus? Read(string functionName)
    {
        var path = PathOf(functionName);
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<ScheduleStatus>(File.ReadAllText(path)) : null;
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            logger.LogWarning("Could not read the schedule status of {Function} ({Error}); treating it as never run.", functionName, e.Message);
            return null;
        }
    }

    public void Write(string functionName, ScheduleStatus status)
    {
        try
        {
            Directory.CreateDirectory(directory);
            var path = PathOf(functionName);
            var temporary = path + ".tmp";
            File.WriteAllText(temporary, JsonSerializer.Serialize(status));
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("Could not save the schedule status of {Function}: {Error}", functionName, e.Message);
        }
    }

    private string PathOf(string functionName) => Path.Combine(directory, $"{functionName}.json");
}
