using Azure.Core;
using Azure.Core.Pipeline;
using CoachFunctions.Storage;
using Xunit;

namespace CoachFunctions.Tests.Storage;

/// <summary>
/// Shared Key signatures against values computed independently with
/// `openssl dgst -sha256 -mac HMAC -macopt hexkey:&lt;key bytes&gt; -binary | base64` over the string-to-sign.
/// </summary>
public class SharedKeySignatureTests
{
    private const string Date = "Tue, 01 Apr 2025 12:00:00 GMT";
    private static readonly byte[] Key = Convert.FromBase64String(StorageConnectionString.DevelopmentAccountKey);

    private const string TableStringToSign = "GET\n\n\n" + Date + "\n/devstoreaccount1/devstoreaccount1/Tables";
    private const string TableSignature = "39is4rIbeGH7CPn2QT60PJ41D9+ltSy8u5JYdWimJqE=";

    private const string QueueStringToSign = "GET\n\n\n\n\n\n\n\n\n\n\n\n" +
                                             "x-ms-date:" + Date + "\nx-ms-version:2021-12-02\n" +
                                             "/devstoreaccount1/devstoreaccount1/q1/messages\nnumofmessages:5\nvisibilitytimeout:30";
    private const string QueueSignature = "qPSyBYzqwxMw1j4bpQdwGw7EeeVTnsjcOMOkzCnlMkQ=";

    [Fact]
    public void Sign_matches_openssl_hmac()
    {
        Assert.Equal(TableSignature, StorageSharedKeyPolicy.Sign(Key, TableStringToSign));
        Assert.Equal(QueueSignature, StorageSharedKeyPolicy.Sign(Key, QueueStringToSign));
    }

    [Fact]
    public void Table_string_to_sign_is_verb_md5_type_date_resource()
    {
        Assert.Equal(TableStringToSign,
            StorageSharedKeyPolicy.BuildTableStringToSign("GET", "", "", Date, "/devstoreaccount1/devstoreaccount1/Tables"));
    }

    [Fact]
    public void Table_policy_signs_path_style_request_with_account_twice()
    {
        var message = Message("GET", "http://127.0.0.1:10002/devstoreaccount1/Tables", ("x-ms-date", Date));
        new StorageSharedKeyPolicy("devstoreaccount1", StorageConnectionString.DevelopmentAccountKey, StorageServiceKind.Table).OnSendingRequest(message);
        Assert.True(message.Request.Headers.TryGetValue("Authorization", out var auth));
        Assert.Equal("SharedKey devstoreaccount1:" + TableSignature, auth);
    }

    [Fact]
    public void Queue_policy_signs_canonicalized_headers_and_sorted_query()
    {
        // Query parameters deliberately out of order: the canonical form sorts them.
        var message = Message("GET", "http://127.0.0.1:10001/devstoreaccount1/q1/messages?visibilitytimeout=30&numofmessages=5",
            ("x-ms-version", "2021-12-02"), ("x-ms-date", Date));
        new StorageSharedKeyPolicy("devstoreaccount1", StorageConnectionString.DevelopmentAccountKey, StorageServiceKind.Queue).OnSendingRequest(message);
        Assert.True(message.Request.Headers.TryGetValue("Authorization", out var auth));
        Assert.Equal("SharedKey devstoreaccount1:" + QueueSignature, auth);
    }

    private static HttpMessage Message(string method, string uri, params (string Name, string Value)[] headers)
    {
        var request = HttpClientTransport.Shared.CreateRequest();
        request.Method = RequestMethod.Parse(method);
        request.Uri.Reset(new Uri(uri));
        foreach (var (name, value) in headers) request.Headers.SetValue(name, value);
        return new HttpMessage(request, new ResponseClassifier());
    }
}
