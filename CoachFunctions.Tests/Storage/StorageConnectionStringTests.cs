using CoachFunctions.Storage;
using Xunit;

namespace CoachFunctions.Tests.Storage;

public class StorageConnectionStringTests
{
    [Fact]
    public void Development_storage_expands_to_loopback_emulator()
    {
        var cs = StorageConnectionString.Parse("UseDevelopmentStorage=true");
        Assert.Equal("devstoreaccount1", cs.AccountName);
        Assert.Equal(new Uri("http://127.0.0.1:10001/devstoreaccount1"), cs.QueueEndpoint);
        Assert.Equal(new Uri("http://127.0.0.1:10002/devstoreaccount1"), cs.TableEndpoint);
        Assert.Equal(StorageConnectionString.DevelopmentAccountKey, cs.AccountKey);
    }

    [Fact]
    public void Explicit_endpoints_win_and_key_keeps_its_padding()
    {
        var cs = StorageConnectionString.Parse(
            "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=abc+/def==;" +
            "QueueEndpoint=http://127.0.0.1:5001/devstoreaccount1;TableEndpoint=http://127.0.0.1:5002/devstoreaccount1;");
        Assert.Equal("devstoreaccount1", cs.AccountName);
        Assert.Equal("abc+/def==", cs.AccountKey);
        Assert.Equal(new Uri("http://127.0.0.1:5001/devstoreaccount1"), cs.QueueEndpoint);
        Assert.Equal(new Uri("http://127.0.0.1:5002/devstoreaccount1"), cs.TableEndpoint);
    }

    [Fact]
    public void Plain_form_builds_public_endpoints()
    {
        var cs = StorageConnectionString.Parse("DefaultEndpointsProtocol=https;AccountName=coach;AccountKey=a2V5;EndpointSuffix=core.windows.net");
        Assert.Equal(new Uri("https://coach.queue.core.windows.net"), cs.QueueEndpoint);
        Assert.Equal(new Uri("https://coach.table.core.windows.net"), cs.TableEndpoint);
    }

    [Fact]
    public void Endpoint_suffix_is_honoured_and_protocol_defaults_to_https()
    {
        var cs = StorageConnectionString.Parse("AccountName=coach;AccountKey=a2V5;EndpointSuffix=core.chinacloudapi.cn");
        Assert.Equal(new Uri("https://coach.queue.core.chinacloudapi.cn"), cs.QueueEndpoint);
        Assert.Equal(new Uri("https://coach.table.core.chinacloudapi.cn"), cs.TableEndpoint);
    }

    [Fact]
    public void Names_are_case_insensitive_and_whitespace_tolerated()
    {
        var cs = StorageConnectionString.Parse(" accountname=coach ; ACCOUNTKEY=a2V5 ; ");
        Assert.Equal("coach", cs.AccountName);
        Assert.Equal("a2V5", cs.AccountKey);
    }

    [Fact]
    public void Account_name_can_come_from_the_endpoint()
    {
        var cs = StorageConnectionString.Parse("TableEndpoint=https://coach.table.core.windows.net/;QueueEndpoint=https://coach.queue.core.windows.net/;SharedAccessSignature=sv=2022-11-02&sig=abc");
        Assert.Equal("coach", cs.AccountName);
        Assert.Null(cs.AccountKey);
        Assert.Equal("sv=2022-11-02&sig=abc", cs.SharedAccessSignature);
    }

    [Theory]
    [InlineData("AccountName=coach")]
    [InlineData("AccountKey=a2V5")]
    [InlineData("nonsense")]
    [InlineData("AccountName=coach;AccountKey=a2V5;TableEndpoint=not a uri")]
    public void Incomplete_or_malformed_strings_are_rejected(string value) =>
        Assert.Throws<FormatException>(() => StorageConnectionString.Parse(value));
}
