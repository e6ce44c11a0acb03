namespace MmUpt.Checkpoint.Safetensors;

/// <summary>Element types of the safetensors format (the spelling in the header is the enum name).</summary>
public enum SafetensorsDType
{
    BOOL, U8, I8, I16, U16, F16, BF16, I32, U32, F32, F64, I64, U64,
}

