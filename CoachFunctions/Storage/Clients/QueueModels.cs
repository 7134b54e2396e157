namespace CoachFunctions.Storage;

/// <summary>A received message: keep MessageId and PopReceipt to delete or update it while it is invisible.</summary>
public sealed record QueueMessage(string MessageId, string PopReceipt, string MessageText, long DequeueCount,
    DateTimeOffset? InsertedOn, DateTimeOffset? ExpiresOn, DateTimeOffset? NextVisibleOn);

/// <summary>A message seen without dequeuing it: no pop receipt, the message stays visible.</summary>
public sealed record PeekedMessage(string MessageId, string MessageText, long DequeueCount, DateTimeOffset? InsertedOn, DateTimeOffset? ExpiresOn);

/// <summary>What Put Message answers.</summary>
public sealed record SendReceipt(string MessageId, string PopReceipt, DateTimeOffset InsertionTime, DateTimeOffset ExpirationTime, DateTimeOffset TimeNextVisible);

/// <summary>What Update Message answers: the old pop receipt is no longer valid, use this one.</summary>
public sealed record UpdateReceipt(string PopReceipt, DateTimeOffset NextVisibleOn);

/// <summary>Queue metadata; the count is approximate (it may include expired or invisible messages).</summary>
public sealed record QueueProperties(int ApproximateMessagesCount);
