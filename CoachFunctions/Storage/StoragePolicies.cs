using Azure.Core;
using Azure.Core.Pipeline;

namespace CoachFunctions.Storage;

/// <summary>The two Azure.Core policies that feed and apply <see cref="StorageReachability"/> on every client.</summary>
internal static class StoragePolicies
{
    /// <summary>Per call, before the SDK's retries: refuses at once while storage is unreachable (bar the trials).</summary>
    public sealed class Gate(StorageReachability reachability) : HttpPipelinePolicy
    {
        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            Admit();
            ProcessNext(message, pipeline);
        }

        public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            Admit();
            return ProcessNextAsync(message, pipeline);
        }

        private void Admit()
        {
            if (!reachability.TryAdmit()) throw new StorageUnavailableException(reachability.FailingSince);
        }
    }

    /// <summary>
    /// Per attempt, after the SDK's retry policy: records whether this attempt got an answer. A failed
    /// attempt while storage is out becomes <see cref="StorageUnavailableException"/>, which the SDK does
    /// not retry: its retries are for blips, not for an outage the app already knows about.
    /// </summary>
    public sealed class Observer(StorageReachability reachability) : HttpPipelinePolicy
    {
        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            try
            {
                ProcessNext(message, pipeline);
            }
            catch (Exception e) when (!message.CancellationToken.IsCancellationRequested)
            {
                if (reachability.Failed()) throw new StorageUnavailableException(reachability.FailingSince, e);
                throw;
            }
            Record(message);
        }

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            try
            {
                await ProcessNextAsync(message, pipeline);
            }
            catch (Exception e) when (!message.CancellationToken.IsCancellationRequested)
            {
                if (reachability.Failed()) throw new StorageUnavailableException(reachability.FailingSince, e);
                throw;
            }
            Record(message);
        }

        private void Record(HttpMessage message)
        {
            if (message.HasResponse) reachability.Answered();
        }
    }
}
