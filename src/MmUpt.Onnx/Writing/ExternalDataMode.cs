namespace MmUpt.Onnx.Writing;

/// <summary>Where initializer bytes go.</summary>
public enum ExternalDataMode
{
    /// <summary>External data when the initializers would push the .onnx file past protobuf's 2 GB limit, inline otherwise.</summary>
    Auto,

    /// <summary>Every weight, and every other initializer of 1 KiB or more, in "{file}.data", offsets aligned to 4096.</summary>
    Always,

    /// <summary>Everything inside the .onnx file (fails for models over 2 GB).</summary>
    Never,
}
