using System.Collections;
using System.Globalization;
using Azure;

namespace CoachFunctions.Storage;

/// <summary>
/// A table entity as a property bag, shaped like Azure.Data.Tables.TableEntity. Values are
/// string, int, long, double, bool, DateTimeOffset, Guid or byte[] (null removes nothing on
/// merge and is not sent). PartitionKey, RowKey and Timestamp live in the bag under their own names.
/// </summary>
public sealed class TableEntity : IDictionary<string, object?>
{
    internal const string PartitionKeyName = "PartitionKey";
    internal const string RowKeyName = "RowKey";
    internal const string TimestampName = "Timestamp";

    // Property names are case-sensitive in the Table service.
    private readonly Dictionary<string, object?> _properties = new(StringComparer.Ordinal);

    public TableEntity()
    {
    }

    public TableEntity(string partitionKey, string rowKey)
    {
        PartitionKey = partitionKey;
        RowKey = rowKey;
    }

    public TableEntity(IDictionary<string, object?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        foreach (var (key, value) in values) _properties[key] = value;
    }

    public string? PartitionKey
    {
        get => GetString(PartitionKeyName);
        set => _properties[PartitionKeyName] = value;
    }

    public string? RowKey
    {
        get => GetString(RowKeyName);
        set => _properties[RowKeyName] = value;
    }

    /// <summary>Set by the service on every write; ignored when sending.</summary>
    public DateTimeOffset? Timestamp
    {
        get => GetDateTimeOffset(TimestampName);
        set => _properties[TimestampName] = value;
    }

    /// <summary>The entity's version as last read; pass it to UpdateEntityAsync/DeleteEntityAsync for optimistic concurrency.</summary>
    public ETag ETag { get; set; }

    public object? this[string key]
    {
        get => _properties.TryGetValue(key, out var value) ? value : null;
        set => _properties[key] = value;
    }

    public string? GetString(string key) => GetRef<string>(key, v => v switch
    {
        string s => s,
        _ => null,
    });

    public int? GetInt32(string key) => Get<int>(key, v => v switch
    {
        int i => i,
        long l when l is >= int.MinValue and <= int.MaxValue => (int)l,
        _ => null,
    });

    public long? GetInt64(string key) => Get<long>(key, v => v switch
    {
        long l => l,
        int i => i,
        string s when long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) => l,
        _ => null,
    });

    public double? GetDouble(string key) => Get<double>(key, v => v switch
    {
        double d => d,
        int i => i,
        long l => l,
        _ => null,
    });

    public bool? GetBoolean(string key) => Get<bool>(key, v => v switch
    {
        bool b => b,
        _ => null,
    });

    public DateTimeOffset? GetDateTimeOffset(string key) => Get<DateTimeOffset>(key, v => v switch
    {
        DateTimeOffset d => d,
        DateTime d => new DateTimeOffset(d.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(d, DateTimeKind.Utc) : d),
        string s when DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d) => d,
        _ => null,
    });

    public Guid? GetGuid(string key) => Get<Guid>(key, v => v switch
    {
        Guid g => g,
        string s when Guid.TryParse(s, out var g) => g,
        _ => null,
    });

    public byte[]? GetBinary(string key) => GetRef<byte[]>(key, v => v switch
    {
        byte[] b => b,
        BinaryData b => b.ToArray(),
        _ => null,
    });

    private T? GetRef<T>(string key, Func<object, T?> convert) where T : class
    {
        if (!_properties.TryGetValue(key, out var value) || value is null) return null;
        return convert(value) ?? throw WrongType(key, value, typeof(T));
    }

    private T? Get<T>(string key, Func<object, T?> convert) where T : struct
    {
        if (!_properties.TryGetValue(key, out var value) || value is null) return null;
        return convert(value) ?? throw WrongType(key, value, typeof(T));
    }

    // Same contract as the official client: absent is null, present-but-another-type is a programming error.
    private static InvalidOperationException WrongType(string key, object value, Type wanted) =>
        new($"Property '{key}' holds a {value.GetType().Name}, which cannot be read as {wanted.Name}.");

    // IDictionary<string, object?> over the bag.
    public ICollection<string> Keys => _properties.Keys;
    public ICollection<object?> Values => _properties.Values;
    public int Count => _properties.Count;
    public bool IsReadOnly => false;
    public void Add(string key, object? value) => _properties.Add(key, value);
    public bool ContainsKey(string key) => _properties.ContainsKey(key);
    public bool Remove(string key) => _properties.Remove(key);
    public bool TryGetValue(string key, out object? value) => _properties.TryGetValue(key, out value);
    public void Add(KeyValuePair<string, object?> item) => _properties.Add(item.Key, item.Value);
    public void Clear() => _properties.Clear();
    public bool Contains(KeyValuePair<string, object?> item) => ((ICollection<KeyValuePair<string, object?>>)_properties).Contains(item);
    public void CopyTo(KeyValuePair<string, object?>[] array, int arrayIndex) => ((ICollection<KeyValuePair<string, object?>>)_properties).CopyTo(array, arrayIndex);
    public bool Remove(KeyValuePair<string, object?> item) => ((ICollection<KeyValuePair<string, object?>>)_properties).Remove(item);
    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => _properties.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
