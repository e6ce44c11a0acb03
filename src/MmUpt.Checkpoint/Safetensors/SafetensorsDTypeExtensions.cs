namespace MmUpt.Checkpoint.Safetensors;

public static class SafetensorsDTypeExtensions
{
    public static int ElementSize(this SafetensorsDType t) => t switch
    {
        SafetensorsDType.BOOL or SafetensorsDType.U8 or SafetensorsDType.I8 => 1,
        SafetensorsDType.I16 or SafetensorsDType.U16 or SafetensorsDType.F16 or SafetensorsDType.BF16 => 2,
        SafetensorsDType.I32 or SafetensorsDType.U32 or SafetensorsDType.F32 => 4,
        _ => 8,
    };

    public static SafetensorsDType Parse(string name, string where) =>
        Enum.TryParse<SafetensorsDType>(name, ignoreCase: false, out var t) && !int.TryParse(name, out _)
            ? t
            : throw new CheckpointFormatException($"{where}: unsupported dtype \"{name}\"");
}
