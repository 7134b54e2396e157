using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace CoachFunctions.Storage;

/// <summary>
/// A client for one table, shaped like Azure.Data.Tables.TableClient (which cannot be restored
/// here) so it can be swapped in later. Talks the Table service REST API through an Azure.Core
/// pipeline: retries, logging and transport come from <see cref="StorageClientOptions"/>.
/// </summary>
public class TableClient
{
    // Reads ask for minimalmetadata: with nometadata, Int64/DateTime/Guid/Binary come back untyped.
    private const string ReadAccept = "application/json;odata=minimalmetadata";
    private const string WriteAccept = "application/json;odata=nometadata";
    private const string JsonContentType = "application/json";
    private static readonly RequestMethod Merge = new("MERGE");

    private readonly HttpPipeline _pipeline = null!;
    private readonly string _serviceUrl = null!;
    private readonly string _version = null!;

    /// <summary>Shared Key (or SAS) auth from a storage connection string.</summary>
    public TableClient(string connectionString, string tableName, StorageClientOptions? options = null)
        : this(StorageConnectionString.Parse(connectionString), tableName, options ?? new StorageClientOptions())
    {
    }

    /// <summary>Entra ID auth: a bearer token for https://storage.azure.com/.default on every request.</summary>
    public TableClient(Uri tableServiceEndpoint, string tableName, TokenCredential credential, StorageClientOptions? options = null)
        : this(tableServiceEndpoint, tableName, options ?? new StorageClientOptions(),
            StoragePipeline.FromCredential(credential ?? throw new ArgumentNullException(nameof(credential)), options ?? new StorageClientOptions()))
    {
    }

    private TableClient(StorageConnectionString connection, string tableName, StorageClientOptions options)
        : this(connection.TableEndpoint, tableName, options, StoragePipeline.FromConnectionString(connection, options, StorageServiceKind.Table))
    {
    }

    private TableClient(Uri endpoint, string tableName, StorageClientOptions options, HttpPipeline pipeline)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentException.ThrowIfNullOrEmpty(tableName);
        Name = tableName;
        _serviceUrl = endpoint.AbsoluteUri.TrimEnd('/');
        _version = options.ServiceVersion ?? StorageClientOptions.DefaultTableServiceVersion;
        _pipeline = pipeline;
    }

    /// <summary>For mocking.</summary>
    protected TableClient()
    {
        Name = "";
    }

    public virtual string Name { get; }

    /// <summary>The table's URL, e.g. http://127.0.0.1:10002/devstoreaccount1/mytable.</summary>
    public virtual Uri Uri => new(TableUrl);

    private string TableUrl => _serviceUrl + "/" + Name;

    /// <summary>Creates the table; an existing table (409 TableAlreadyExists) also counts as success.</summary>
    public virtual async Task<Response> CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["TableName"] = Name });
        var response = await SendAsync(RequestMethod.Post, _serviceUrl + "/Tables", WriteAccept, body, null, true, cancellationToken).ConfigureAwait(false);
        if (response.Status == 409 && StorageResponse.ErrorCode(response) == "TableAlreadyExists") return response;
        return StorageResponse.Expect(response, 201, 204);
    }

    public virtual async Task<Response> DeleteAsync(CancellationToken cancellationToken = default)
    {
        var url = $"{_serviceUrl}/Tables('{EscapeKey(Name)}')";
        var response = await SendAsync(RequestMethod.Delete, url, WriteAccept, null, null, false, cancellationToken).ConfigureAwait(false);
        return StorageResponse.Expect(response, 204);
    }

    /// <summary>Inserts a new entity; an existing one fails with 409 EntityAlreadyExists. The new ETag is in Headers.ETag.</summary>
    public virtual async Task<Response> AddEntityAsync(TableEntity entity, CancellationToken cancellationToken = default)
    {
        RequireKeys(entity);
        var response = await SendAsync(RequestMethod.Post, TableUrl, WriteAccept, TableEntityJson.Serialize(entity), null, true, cancellationToken).ConfigureAwait(false);
        return StorageResponse.Expect(response, 201, 204);
    }

    /// <summary>Insert-or-merge / insert-or-replace: no If-Match, so it never conflicts.</summary>
    public virtual async Task<Response> UpsertEntityAsync(TableEntity entity, TableUpdateMode mode = TableUpdateMode.Merge, CancellationToken cancellationToken = default)
    {
        RequireKeys(entity);
        var method = mode == TableUpdateMode.Merge ? Merge : RequestMethod.Put;
        var response = await SendAsync(method, EntityUrl(entity.PartitionKey!, entity.RowKey!), WriteAccept, TableEntityJson.Serialize(entity), null, false, cancellationToken).ConfigureAwait(false);
        return StorageResponse.Expect(response, 204);
    }

    /// <summary>Updates an existing entity when its ETag matches <paramref name="ifMatch"/> (ETag.All matches any): 412 on mismatch, 404 when missing.</summary>
    public virtual async Task<Response> UpdateEntityAsync(TableEntity entity, ETag ifMatch, TableUpdateMode mode = TableUpdateMode.Merge, CancellationToken cancellationToken = default)
    {
        RequireKeys(entity);
        if (ifMatch == default) throw new ArgumentException("An ETag is required; use ETag.All to update unconditionally.", nameof(ifMatch));
        var method = mode == TableUpdateMode.Merge ? Merge : RequestMethod.Put;
        var response = await SendAsync(method, EntityUrl(entity.PartitionKey!, entity.RowKey!), WriteAccept, TableEntityJson.Serialize(entity), IfMatch(ifMatch), false, cancellationToken).ConfigureAwait(false);
        return StorageResponse.Expect(response, 204);
    }

    /// <summary>Deletes an entity; an absent entity (404) is returned, not thrown, as the official client does.</summary>
    public virtual async Task<Response> DeleteEntityAsync(string partitionKey, string rowKey, ETag ifMatch = default, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(partitionKey);
        ArgumentNullException.ThrowIfNull(rowKey);
        var etag = ifMatch == default ? ETag.All : ifMatch;
        var response = await SendAsync(RequestMethod.Delete, EntityUrl(partitionKey, rowKey), WriteAccept, null, IfMatch(etag), false, cancellationToken).ConfigureAwait(false);
        return response.Status == 404 ? response : StorageResponse.Expect(response, 204);
    }

    /// <summary>Point read; 404 ResourceNotFound throws.</summary>
    public virtual async Task<Response<TableEntity>> GetEntityAsync(string partitionKey, string rowKey, IEnumerable<string>? select = null, CancellationToken cancellationToken = default)
    {
        var response = await GetEntityResponseAsync(partitionKey, rowKey, select, cancellationToken).ConfigureAwait(false);
        StorageResponse.Expect(response, 200);
        return Response.FromValue(ReadEntity(response), response);
    }

    /// <summary>Point read that answers HasValue = false instead of throwing when the entity is absent.</summary>
    public virtual async Task<NullableResponse<TableEntity>> GetEntityIfExistsAsync(string partitionKey, string rowKey, IEnumerable<string>? select = null, CancellationToken cancellationToken = default)
    {
        var response = await GetEntityResponseAsync(partitionKey, rowKey, select, cancellationToken).ConfigureAwait(false);
        if (response.Status == 404) return new NoValueResponse<TableEntity>(response);
        StorageResponse.Expect(response, 200);
        return Response.FromValue(ReadEntity(response), response);
    }

    private async Task<Response> GetEntityResponseAsync(string partitionKey, string rowKey, IEnumerable<string>? select, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(partitionKey);
        ArgumentNullException.ThrowIfNull(rowKey);
        var url = EntityUrl(partitionKey, rowKey) + StorageQuery.Build(("$select", SelectList(select)));
        return await SendAsync(RequestMethod.Get, url, ReadAccept, null, null, false, cancellationToken).ConfigureAwait(false);
    }

    private static TableEntity ReadEntity(Response response)
    {
        using var doc = JsonDocument.Parse(response.Content.ToMemory());
        var entity = TableEntityJson.Deserialize(doc.RootElement);
        // The ETag header and odata.etag agree; the header is there even when a $select dropped metadata.
        if (response.Headers.ETag is { } etag) entity.ETag = etag;
        return entity;
    }

    /// <summary>
    /// Queries entities (all when <paramref name="filter"/> is null; build filters with <see cref="TableOData.Filter"/>).
    /// Pages hold at most 1,000 entities (or <paramref name="maxPerPage"/>); enumerating follows the
    /// service's continuation, and each Page.ContinuationToken can resume via AsPages(token).
    /// </summary>
    public virtual AsyncPageable<TableEntity> QueryAsync(string? filter = null, int? maxPerPage = null, IEnumerable<string>? select = null, CancellationToken cancellationToken = default)
    {
        var selectList = SelectList(select);
        return new StorageAsyncPageable<TableEntity>(
            (token, pageSize, ct) => QueryPageAsync(filter, pageSize ?? maxPerPage, selectList, token, ct), cancellationToken);
    }

    private async Task<Page<TableEntity>> QueryPageAsync(string? filter, int? top, string? select, string? continuationToken, CancellationToken cancellationToken)
    {
        var (nextPartitionKey, nextRowKey) = TableContinuation.Parse(continuationToken);
        var url = TableUrl + "()" + StorageQuery.Build(
            ("$filter", filter),
            ("$top", top?.ToString(CultureInfo.InvariantCulture)),
            ("$select", select),
            ("NextPartitionKey", nextPartitionKey),
            ("NextRowKey", nextRowKey));
        var response = StorageResponse.Expect(await SendAsync(RequestMethod.Get, url, ReadAccept, null, null, false, cancellationToken).ConfigureAwait(false), 200);

        using var doc = JsonDocument.Parse(response.Content.ToMemory());
        var entities = doc.RootElement.TryGetProperty("value", out var value)
            ? value.EnumerateArray().Select(TableEntityJson.Deserialize).ToList()
            : [];
        response.Headers.TryGetValue("x-ms-continuation-NextPartitionKey", out var npk);
        response.Headers.TryGetValue("x-ms-continuation-NextRowKey", out var nrk);
        return Page<TableEntity>.FromValues(entities, TableContinuation.Format(npk, nrk), response);
    }

    /// <summary>
    /// Runs up to 100 actions on one partition as an entity group transaction (POST $batch, one
    /// changeset): all succeed or none is applied. Returns one response per action, in order, each
    /// with its new ETag in Headers.ETag. A rejected transaction throws <see cref="TableTransactionFailedException"/>.
    /// </summary>
    public virtual async Task<Response<IReadOnlyList<Response>>> SubmitTransactionAsync(IEnumerable<TableTransactionAction> actions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actions);
        var list = actions.ToList();
        if (list.Count == 0) throw new ArgumentException("A transaction needs at least one action.", nameof(actions));
        if (list.Count > 100) throw new ArgumentException($"A transaction holds at most 100 actions, got {list.Count}.", nameof(actions));
        foreach (var action in list)
        {
            ArgumentNullException.ThrowIfNull(action, nameof(actions));
            RequireKeys(action.Entity);
        }

        if (list.Select(a => a.Entity.PartitionKey).Distinct(StringComparer.Ordinal).Count() > 1)
            throw new ArgumentException("All actions of a transaction must share one PartitionKey.", nameof(actions));

        var (contentType, body) = TableBatchContent.Build(TableUrl, list, WriteAccept);
        var response = await SendAsync(RequestMethod.Post, _serviceUrl + "/$batch", ReadAccept, body, null, false, cancellationToken, contentType).ConfigureAwait(false);
        StorageResponse.Expect(response, 202);

        response.Headers.TryGetValue("Content-Type", out var responseType);
        var parts = TableBatchContent.Parse(responseType ?? "", response.Content.ToArray());
        var failed = parts.FirstOrDefault(p => p.Status >= 400);
        if (failed is not null)
        {
            var index = TableBatchContent.FailedIndex(failed);
            if (index is null && parts.Count == list.Count) index = parts.IndexOf(failed);
            throw new TableTransactionFailedException(StorageResponse.Failure(failed), index);
        }

        if (parts.Count != list.Count)
            throw new RequestFailedException(response.Status, $"The batch answer held {parts.Count} responses for {list.Count} actions.");
        return Response.FromValue<IReadOnlyList<Response>>(parts, response);
    }

    private async Task<Response> SendAsync(RequestMethod method, string url, string accept, byte[]? body, string? ifMatch, bool preferNoContent,
        CancellationToken cancellationToken, string contentType = JsonContentType)
    {
        // Not disposed: the response is handed to the caller, and disposing the message would dispose it.
        // Bodies are buffered by the pipeline, so the connection is already released.
        var message = _pipeline.CreateMessage();
        var request = message.Request;
        request.Method = method;
        request.Uri.Reset(new Uri(url));
        request.Headers.SetValue("x-ms-version", _version);
        request.Headers.SetValue("DataServiceVersion", "3.0");
        request.Headers.SetValue("MaxDataServiceVersion", "3.0;NetFx");
        request.Headers.SetValue("Accept", accept);
        if (ifMatch is not null) request.Headers.SetValue("If-Match", ifMatch);
        if (preferNoContent) request.Headers.SetValue("Prefer", "return-no-content");
        if (body is not null)
        {
            request.Headers.SetValue("Content-Type", contentType);
            request.Content = RequestContent.Create(body);
        }

        await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        return message.Response;
    }

    private string EntityUrl(string partitionKey, string rowKey) => TableUrl + EntityPath(partitionKey, rowKey);

    /// <summary>"(PartitionKey='..',RowKey='..')" with each key's single quotes doubled, then URL-encoded.</summary>
    internal static string EntityPath(string partitionKey, string rowKey) =>
        $"(PartitionKey='{EscapeKey(partitionKey)}',RowKey='{EscapeKey(rowKey)}')";

    internal static string EscapeKey(string key) => Uri.EscapeDataString(key.Replace("'", "''"));

    private static string IfMatch(ETag etag) => etag == ETag.All ? "*" : etag.ToString("H");

    private static string? SelectList(IEnumerable<string>? select) =>
        select is null ? null : string.Join(',', select) is { Length: > 0 } list ? list : null;


    private static void RequireKeys(TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        if (entity.PartitionKey is null || entity.RowKey is null)
            throw new ArgumentException("The entity needs both PartitionKey and RowKey.", nameof(entity));
    }
}
