using Tributary.Protocol;

namespace Tributary.Client.Admin;

/// <summary>DeleteRecords' answer for one partition: its new log start offset.</summary>
public sealed record DeleteRecordsResult(ErrorCode Error, long LowWatermark);
