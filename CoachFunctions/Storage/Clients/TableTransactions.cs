using Azure;

namespace CoachFunctions.Storage;

/// <summary>How UpdateEntityAsync and UpsertEntityAsync write: merge into the stored properties, or replace them all.</summary>
public enum TableUpdateMode
{
    Merge,
    Replace,
}

/// <summary>The kind of one action in an entity group transaction.</summary>
public enum TableTransactionActionType
{
    Add,
    UpdateMerge,
    UpdateReplace,
    Delete,
    UpsertMerge,
    UpsertReplace,
}

/// <summary>One action of <see cref="TableClient.SubmitTransactionAsync"/>; <paramref name="ETag"/> applies to updates and deletes (default: any version).</summary>
public sealed record TableTransactionAction(TableTransactionActionType ActionType, TableEntity Entity, ETag ETag = default);

/// <summary>
/// An entity group transaction was rejected as a whole. Status and ErrorCode are those of the
/// failing action (for example 409 EntityAlreadyExists, 412 UpdateConditionNotSatisfied).
/// </summary>
public class TableTransactionFailedException : RequestFailedException
{
    public TableTransactionFailedException(RequestFailedException requestFailedException)
        : this(requestFailedException, null)
    {
    }

    public TableTransactionFailedException(RequestFailedException requestFailedException, int? failedTransactionActionIndex)
        : base(requestFailedException.Status, Describe(requestFailedException.Message, failedTransactionActionIndex),
            requestFailedException.ErrorCode, requestFailedException)
    {
        FailedTransactionActionIndex = failedTransactionActionIndex;
        FailedResponse = requestFailedException.GetRawResponse();
    }

    /// <summary>Zero-based index into the submitted actions of the one that failed, when the service said which.</summary>
    public int? FailedTransactionActionIndex { get; }

    /// <summary>The failing action's own response (status, headers, error body).</summary>
    public Response? FailedResponse { get; }

    private static string Describe(string message, int? index) =>
        index is null ? message : $"Transaction action {index} failed. {message}";
}
