using System.Text.Json.Serialization;

namespace CoachFunctions.Channels.WeCom;

// kf/send_msg bodies, in WeCom's field names.

public sealed record WeComTextMessage(
    [property: JsonPropertyName("touser")] string ToUser,
    [property: JsonPropertyName("open_kfid")] string OpenKfId,
    [property: JsonPropertyName("msgid")] string MsgId,
    [property: JsonPropertyName("text")] WeComText Text)
{
    [JsonPropertyName("msgtype")] public string MsgType => "text";
}

public sealed record WeComText([property: JsonPropertyName("content")] string Content);

public sealed record WeComMiniProgramMessage(
    [property: JsonPropertyName("touser")] string ToUser,
    [property: JsonPropertyName("open_kfid")] string OpenKfId,
    [property: JsonPropertyName("msgid")] string MsgId,
    [property: JsonPropertyName("miniprogram")] WeComMiniProgram MiniProgram)
{
    [JsonPropertyName("msgtype")] public string MsgType => "miniprogram";
}

public sealed record WeComMiniProgram(
    [property: JsonPropertyName("appid")] string AppId,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("thumb_media_id")] string ThumbMediaId,
    [property: JsonPropertyName("pagepath")] string PagePath);
