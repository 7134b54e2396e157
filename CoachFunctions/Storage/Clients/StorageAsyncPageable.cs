using System.Runtime.CompilerServices;
using Azure;

namespace CoachFunctions.Storage;

/// <summary>
/// An AsyncPageable that fetches one page per call of a delegate and follows each page's
/// ContinuationToken until there is none. Azure.Core only offers a synchronous-source FromPages.
/// </summary>
internal sealed class StorageAsyncPageable<T>(
    Func<string?, int?, CancellationToken, Task<Page<T>>> fetchPage,
    CancellationToken cancellationToken) : AsyncPageable<T>(cancellationToken)
    where T : notnull
{
    public override IAsyncEnumerable<Page<T>> AsPages(string? continuationToken = null, int? pageSizeHint = null) =>
        Enumerate(continuationToken, pageSizeHint, CancellationToken);

    private async IAsyncEnumerable<Page<T>> Enumerate(string? continuationToken, int? pageSizeHint, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        do
        {
            var page = await fetchPage(continuationToken, pageSizeHint, cancellationToken).ConfigureAwait(false);
            yield return page;
            continuationToken = page.ContinuationToken;
        }
        while (!string.IsNullOrEmpty(continuationToken));
    }
}
