using CoachFunctions.LocalHost.Rpc;
using Microsoft.Extensions.Logging;

namespace CoachFunctions.LocalHost.Workers;

/// <summary>
/// Writes the worker's RpcLog messages through this host's loggers, under the function's name when
/// the log belongs to an invocation ("Function.Name.User" as the Functions host names them). The
/// worker forwards every ILogger of its own, including ASP.NET Core's per-request logs; framework
/// and system chatter below Warning is demoted to Debug so a request does not print five lines.
/// </summary>
internal sealed class WorkerLogWriter(ILoggerFactory loggers)
{
    public void Write(RpcLog log, string? functionName)
    {
        var level = ToLevel(log.Level);
        if (level == LogLevel.None) return;

        var isFramework = log.LogCategory == RpcLog.Types.RpcLogCategory.System
            || log.Category.StartsWith("Microsoft.", StringComparison.Ordinal)
            || log.Category.StartsWith("System.", StringComparison.Ordinal)
            || log.Category.StartsWith("Grpc.", StringComparison.Ordinal);
        if (isFramework && level < LogLevel.Warning) level = LogLevel.Debug;
        if (log.LogCategory == RpcLog.Types.RpcLogCategory.CustomMetric) level = LogLevel.Trace;

        var category = functionName is not null
            ? $"Function.{functionName}{(log.LogCategory == RpcLog.Types.RpcLogCategory.User ? ".User" : "")}"
            : string.IsNullOrEmpty(log.Category) ? "Worker" : $"Worker.{log.Category}";
        var logger = loggers.CreateLogger(category);
        if (!logger.IsEnabled(level)) return;

        if (log.Exception is { } exception && !string.IsNullOrEmpty(exception.Message))
        {
            logger.Log(level, "{Message} ({ExceptionType}: {ExceptionMessage})", log.Message, exception.Type, exception.Message);
        }
        else
        {
            logger.Log(level, "{Message}", log.Message);
        }
    }

    private static LogLevel ToLevel(RpcLog.Types.Level level) => level switch
    {
        RpcLog.Types.Level.Trace => LogLevel.Trace,
        RpcLog.Types.Level.Debug => LogLevel.Debug,
        RpcLog.Types.Level.Information => LogLevel.Information,
        RpcLog.Types.Level.Warning => LogLevel.Warning,
        RpcLog.Types.Level.Error => LogLevel.Error,
        RpcLog.Types.Level.Critical => LogLevel.Critical,
        _ => LogLevel.None,
    };
}
