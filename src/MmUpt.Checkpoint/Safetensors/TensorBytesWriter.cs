namespace MmUpt.Checkpoint.Safetensors;

/// <summary>Writes a tensor's raw little-endian C-order bytes to the file being written.</summary>
public delegate void TensorBytesWriter(Stream destination);
