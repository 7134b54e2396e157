using CoachFunctions.Channels.WeCom;
using CoachFunctions.Coaching.Channels;

namespace CoachFunctions.Tests.Channels.WeCom;

/// <summary>The callback crypto against an implementation written from WeCom's description (<see cref="CallbackSigner"/>), and the errcode mapping.</summary>
public sealed class WeComCryptoTests
{
    private static readonly string Key = CallbackSigner.NewEncodingAesKey();
    private readonly WeComCrypto _crypto = new("tok", Key);
    private readonly CallbackSigner _signer = new("tok", Key);

    [Theory]
    [InlineData("")]
    [InlineData("<xml>hello</xml>")]
    [InlineData("微信客服 — twelve bytes and more, across two 32-byte blocks at least")]
    public void Decrypts_what_wecom_encrypts_and_the_other_way_round(string message)
    {
        Assert.Equal((message, "wwcorp"), _crypto.Decrypt(_signer.Encrypt(message, "wwcorp")));
        Assert.Equal((message, "wwcorp"), _crypto.Decrypt(_crypto.Encrypt(message, "wwcorp")));
        Assert.Equal(0, Convert.FromBase64String(_crypto.Encrypt(message, "wwcorp")).Length % 32);
    }

    [Fact]
    public void Signatures_match_and_verify_only_exactly()
    {
        var encrypted = _signer.Encrypt("m", "wwcorp");
        var signature = _signer.Sign("1700000000", "abc", encrypted);
        Assert.Equal(signature, _crypto.Signature("1700000000", "abc", encrypted));
        Assert.True(_crypto.Verify(signature, "1700000000", "abc", encrypted));
        Assert.True(_crypto.Verify(signature.ToUpperInvariant(), "1700000000", "abc", encrypted));
        Assert.False(_crypto.Verify(signature, "1700000001", "abc", encrypted));
        Assert.False(_crypto.Verify(signature[..^1], "1700000000", "abc", encrypted));
        Assert.False(_crypto.Verify(null, "1700000000", "abc", encrypted));
    }

    [Fact]
    public void Anything_else_does_not_decrypt()
    {
        Assert.Null(_crypto.Decrypt("not base64!"));
        Assert.Null(_crypto.Decrypt(Convert.ToBase64String(new byte[16]))); // not a whole 32-byte block
        Assert.Null(new WeComCrypto("tok", CallbackSigner.NewEncodingAesKey()).Decrypt(_signer.Encrypt("m", "wwcorp"))); // another key
        Assert.False(WeComCrypto.TryReadKey("short", out _));
    }

    [Theory]
    [InlineData(0, ChannelOutcome.Sent)]
    [InlineData(-1, ChannelOutcome.RetryLater)]
    [InlineData(45009, ChannelOutcome.RetryLater)]
    [InlineData(42001, ChannelOutcome.RetryLater)]
    [InlineData(95018, ChannelOutcome.Refused)]
    [InlineData(95001, ChannelOutcome.Refused)]
    [InlineData(40003, ChannelOutcome.Refused)]
    public void Errcodes_map_to_outcomes(int errCode, ChannelOutcome outcome) => Assert.Equal(outcome, WeComErrors.ForSend(errCode).Outcome);

    [Fact]
    public void Text_is_cut_to_wecoms_byte_limit_on_a_character_boundary()
    {
        var text = string.Concat(Enumerable.Repeat("习惯", 600)); // 3,600 bytes
        var cut = WeComSender.Cut(text, WeComSender.MaxTextBytes);
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(cut) <= WeComSender.MaxTextBytes);
        Assert.EndsWith("…", cut);
        Assert.Equal("short", WeComSender.Cut("short", WeComSender.MaxTextBytes));
    }
}
