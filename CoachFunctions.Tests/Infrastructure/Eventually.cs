namespace CoachFunctions.Tests.Infrastructure;

/// <summary>Polls until a condition holds: for effects of queue processing, which are asynchronous by design.</summary>
public static class Eventually
{
    public static async Task<T> GetAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what) where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await probe() is { } value) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out after {timeout.TotalSeconds} s waiting for {what}.");
            await Task.Delay(100);
        }
    }

    public static async Task<T> ValueAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what = "a value") where T : struct
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await probe() is { } value) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out after {timeout.TotalSeconds} s waiting for {what}.");
            await Task.Delay(100);
        }
    }
}
