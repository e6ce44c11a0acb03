using MmUpt.Onnx.Writing;

namespace MmUpt.Onnx.Export;

/// <summary>
/// What an export wrote. <see cref="PadTokenId"/> is the id ORT GenAI treats as padding; a prompt containing it would be
/// silently changed (notes/ortgenai-0.18.md Addendum 4), so rollout workers must reject such prompts.
/// </summary>
public sealed record Qwen25VLExportResult(string Folder, int PadTokenId, IReadOnlyList<WrittenModel> Models, IReadOnlyList<string> CopiedFiles)
{
    public long TotalBytes => Models.Sum(m => m.ModelBytes + m.DataBytes);
}
