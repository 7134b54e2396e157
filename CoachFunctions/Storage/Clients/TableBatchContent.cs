using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Azure;
using Azure.Core;

namespace CoachFunctions.Storage;

/// <summary>
/// The multipart/mixed body of an entity group transaction (POST /$batch): one batch part holding one
/// changeset, each action an embedded HTTP request with an absolute URL; and the parser of the answer,
/// which mirrors that shape with one embedded HTTP response per action (or a single one on failure).
/// </summary>
internal static partial class TableBatchContent
{
    private const string Crlf = "\r\n";

    public static (string ContentType, byte[] Body) Build(string tableUrl, IReadOnlyList<TableTransactionAction> actions, string accept)
    {
        var batch = "batch_" + Guid.NewGuid().ToString("N");
        var changeset = "changeset_" + Guid.NewGuid().ToString("N");
        var sb = new StringBuilder();
        sb.Append("--").Append(batch).Append(Crlf)
          .Append("Content-Type: multipart/mixed; boundary=").Append(changeset).Append(Crlf).Append(Crlf);

        for (var i = 0; i < actions.Count; i++)
        {
            var action = actions[i];
            var (method, withKeys, body, ifMatch) = Describe(action);
            var url = withKeys ? tableUrl + TableClient.EntityPath(action.Entity.PartitionKey!, action.Entity.RowKey!) : tableUrl;
            sb.Append("--").Append(changeset).Append(Crlf)
              .Append("Content-Type: application/http").Append(Crlf)
              .Append("Content-Transfer-Encoding: binary").Append(Crlf).Append(Crlf)
              .Append(method).Append(' ').Append(url).Append(" HTTP/1.1").Append(Crlf)
              .Append("Accept: ").Append(accept).Append(Crlf)
              .Append("DataServiceVersion: 3.0").Append(Crlf)
              .Append("Content-ID: ").Append((i + 1).ToString(CultureInfo.InvariantCulture)).Append(Crlf);
            if (ifMatch is not null) sb.Append("If-Match: ").Append(ifMatch).Append(Crlf);
            if (body is not null)
            {
                sb.Append("Prefer: return-no-content").Append(Crlf)
                  .Append("Content-Type: application/json").Append(Crlf).Append(Crlf)
                  .Append(Encoding.UTF8.GetString(body)).Append(Crlf);
            }
            else
            {
                sb.Append(Crlf);
            }
        }

        sb.Append("--").Append(changeset).Append("--").Append(Crlf).Append(Crlf)
          .Append("--").Append(batch).Append("--").Append(Crlf);
        return ($"multipart/mixed; boundary={batch}", Encoding.UTF8.GetBytes(sb.ToString()));
    }

    private static (string Method, bool WithKeys, byte[]? Body, string? IfMatch) Describe(TableTransactionAction action)
    {
        // An unset ETag on an update or delete means "whatever version is stored".
        var ifMatch = action.ETag == default ? "*" : action.ETag.ToString("H");
        return action.ActionType switch
        {
            TableTransactionActionType.Add => ("POST", false, TableEntityJson.Serialize(action.Entity), null),
            TableTransactionActionType.UpdateMerge => ("MERGE", true, TableEntityJson.Serialize(action.Entity), ifMatch),
            TableTransactionActionType.UpdateReplace => ("PUT", true, TableEntityJson.Serialize(action.Entity), ifMatch),
            TableTransactionActionType.Delete => ("DELETE", true, null, ifMatch),
            TableTransactionActionType.UpsertMerge => ("MERGE", true, TableEntityJson.Serialize(action.Entity), null),
            TableTransactionActionType.UpsertReplace => ("PUT", true, TableEntityJson.Serialize(action.Entity), null),
            _ => throw new ArgumentOutOfRangeException(nameof(action), action.ActionType, "Unknown transaction action type."),
        };
    }

    /// <summary>Splits a batch answer into its embedded HTTP responses, in order.</summary>
    public static List<StorageSubResponse> Parse(string contentType, byte[] body)
    {
        var text = Encoding.UTF8.GetString(body);
        var outer = Boundary(contentType) ?? throw new FormatException($"Batch response Content-Type '{contentType}' has no boundary.");
        // The changeset's own boundary is announced in the first batch part's Content-Type; without one
        // (a top-level error) the HTTP responses sit directly in the batch parts.
        var inner = BoundaryRegex().Match(text) is { Success: true } m && m.Groups[1].Value != outer ? m.Groups[1].Value : outer;
        var responses = new List<StorageSubResponse>();
        foreach (var part in Parts(text, inner))
        {
            if (ParseEmbeddedResponse(part) is { } response) responses.Add(response);
        }

        return responses;
    }

    private static IEnumerable<string> Parts(string text, string boundary)
    {
        var delimiter = "--" + boundary;
        var pieces = text.Split(delimiter);
        // pieces[0] is the preamble; a piece starting with "--" follows the closing delimiter.
        for (var i = 1; i < pieces.Length; i++)
        {
            if (pieces[i].StartsWith("--", StringComparison.Ordinal)) yield break;
            yield return pieces[i];
        }
    }

    private static StorageSubResponse? ParseEmbeddedResponse(string part)
    {
        var lines = part.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var index = 0;
        // Skip the blank line after the delimiter and the MIME headers (Content-Type: application/http ...).
        while (index < lines.Count && lines[index].Length == 0) index++;
        while (index < lines.Count && lines[index].Length > 0) index++;
        while (index < lines.Count && lines[index].Length == 0) index++;
        if (index >= lines.Count || !lines[index].StartsWith("HTTP/", StringComparison.Ordinal)) return null;

        var statusLine = lines[index++].Split(' ', 3);
        var status = int.Parse(statusLine[1], CultureInfo.InvariantCulture);
        var reason = statusLine.Length > 2 ? statusLine[2] : "";
        var headers = new List<HttpHeader>();
        for (; index < lines.Count && lines[index].Length > 0; index++)
        {
            var colon = lines[index].IndexOf(':');
            if (colon > 0) headers.Add(new HttpHeader(lines[index][..colon].Trim(), lines[index][(colon + 1)..].Trim()));
        }

        var content = string.Join("\r\n", lines.Skip(index + 1)).Trim('\r', '\n');
        return new StorageSubResponse(status, reason, headers, Encoding.UTF8.GetBytes(content));
    }

    private static string? Boundary(string contentType)
    {
        var m = BoundaryRegex().Match(contentType);
        return m.Success ? m.Groups[1].Value : null;
    }

    /// <summary>The failing action's zero-based index, which the service puts before the error text: "2:The specified entity already exists...".</summary>
    public static int? FailedIndex(Response failed)
    {
        try
        {
            var (_, message) = StorageErrorParser.FromJson(failed.Content.ToString(), null);
            var m = message is null ? null : FailedIndexRegex().Match(message);
            if (m is { Success: true }) return int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        }
        catch (System.Text.Json.JsonException)
        {
            // Not JSON: fall through to Content-ID.
        }

        // Content-ID echoes the 1-based id we sent with each action.
        return failed.Headers.TryGetValue("Content-ID", out var id) && int.TryParse(id, CultureInfo.InvariantCulture, out var n) && n > 0 ? n - 1 : null;
    }

    [GeneratedRegex(@"boundary=""?([^"";\s]+)""?", RegexOptions.IgnoreCase)]
    private static partial Regex BoundaryRegex();

    [GeneratedRegex(@"^\s*(\d+):")]
    private static partial Regex FailedIndexRegex();
}
