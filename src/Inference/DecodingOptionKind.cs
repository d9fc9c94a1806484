namespace Summarizer.Inference;

/// <summary>The type of a decoding option's value (decoding-rules.json's <c>type</c>).</summary>
public enum DecodingOptionKind
{
    /// <summary>An <see cref="int"/> (<c>"int"</c>).</summary>
    Integer,

    /// <summary>A <see cref="float"/> (<c>"float"</c>).</summary>
    Number,

    /// <summary>A <see cref="bool"/> (<c>"bool"</c>); it has no range.</summary>
    Boolean,
}
