namespace Lab02.RtmpChunks;

/// <summary>
/// A command message (RTMP 1.0 §7.1.1, §7.2): a name, a transaction id, a command object (or null) and
/// more arguments, all AMF0. Type 20 carries AMF0; type 17 (AMF3 command) starts with a 0x00 format byte
/// followed, in practice, by the same AMF0 values.
/// </summary>
public sealed class RtmpCommand
{
    /// <summary>Creates a command.</summary>
    public RtmpCommand(string name, double transactionId, object? commandObject, params object?[] arguments)
    {
        Name = name;
        TransactionId = transactionId;
        CommandObject = commandObject;
        Arguments = arguments;
    }

    /// <summary>The command name: "connect", "createStream", "publish", "_result", "onStatus" ...</summary>
    public string Name { get; }

    /// <summary>The transaction id: the client numbers its calls; a _result repeats the call's id; 0 means no answer expected.</summary>
    public double TransactionId { get; }

    /// <summary>The command object (an <see cref="Amf0Object"/>) or null.</summary>
    public object? CommandObject { get; }

    /// <summary>The values after the command object (publish: the stream name and "live").</summary>
    public IReadOnlyList<object?> Arguments { get; }

    /// <summary>Reads a command from a type-20 or type-17 message.</summary>
    /// <exception cref="RtmpException">Part "command" when it does not start with a name and a transaction id; Part "AMF0" for bad AMF0.</exception>
    public static RtmpCommand Parse(RtmpMessage message)
    {
        #region lab M4: skip the 0x00 format byte of a type-17 message, decode the AMF0 values, check values[0] is a string and values[1] a number — README §Commands
        ArgumentNullException.ThrowIfNull(message);
        var payload = message.Payload.Span;
        if (message.TypeId == MessageType.CommandAmf3 && !payload.IsEmpty && payload[0] == 0)
        {
            payload = payload[1..]; // §7.1.1: AMF3 commands start with a format byte 0x00
        }

        var values = Amf0.DecodeAll(payload);
        if (values.Count < 2 || values[0] is not string name || values[1] is not double transactionId)
        {
            throw new RtmpException("command", 0, $"A command starts with a name (string) and a transaction id (number); this one has {string.Join(", ", values.Take(2).Select(Amf0.Format))} (README §Commands).");
        }

        return new RtmpCommand(name, transactionId, values.Count > 2 ? values[2] : null, [.. values.Skip(3)]);
        #endregion
    }

    /// <summary>The command as a type-20 message on <paramref name="messageStreamId"/>.</summary>
    public RtmpMessage ToMessage(uint messageStreamId, uint timestamp = 0) =>
        new(MessageType.CommandAmf0, timestamp, messageStreamId, Amf0.Encode([Name, TransactionId, CommandObject, .. Arguments]));

    /// <inheritdoc />
    public override string ToString() => $"{Name}({TransactionId}, {Amf0.Format(CommandObject)}{string.Concat(Arguments.Select(a => ", " + Amf0.Format(a)))})";
}
