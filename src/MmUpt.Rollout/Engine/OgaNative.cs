using System.Runtime.InteropServices;

namespace MmUpt.Rollout.Engine;

/// <summary>
/// The parts of the ORT GenAI 0.18 C API that its C# wrapper does not expose (`ort_genai_c.h`): building named input
/// tensors for a batched multimodal prompt, and reading/replacing the logits a step selects from.
/// </summary>
internal static partial class OgaNative
{
    private const string Library = "onnxruntime-genai";

    /// <summary>OgaElementType values.</summary>
    public const int Float32 = 1;
    public const int Int32 = 6;
    public const int Int64 = 7;

    [LibraryImport(Library)]
    public static partial IntPtr OgaCreateNamedTensors(out IntPtr namedTensors);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial IntPtr OgaNamedTensorsSet(IntPtr namedTensors, string name, IntPtr tensor);

    [LibraryImport(Library)]
    public static partial void OgaDestroyNamedTensors(IntPtr namedTensors);

    /// <summary>Wraps caller memory without copying: the buffer must outlive every use of the tensor.</summary>
    [LibraryImport(Library)]
    public static partial IntPtr OgaCreateTensorFromBuffer(IntPtr data, long[] shape, nuint rank, int elementType, out IntPtr tensor);

    [LibraryImport(Library)]
    public static partial void OgaDestroyTensor(IntPtr tensor);

    [LibraryImport(Library)]
    public static partial IntPtr OgaGenerator_SetInputs(IntPtr generator, IntPtr namedTensors);

    /// <summary>Runs the model for the pending step if it has not run yet, and returns a CPU copy of the last-position logits [B, 1, V].</summary>
    [LibraryImport(Library)]
    public static partial IntPtr OgaGenerator_GetLogits(IntPtr generator, out IntPtr tensor);

    /// <summary>Replaces the logits the next <c>GenerateNextToken</c> selects from (copied; same element count as GetLogits).</summary>
    [LibraryImport(Library)]
    public static partial IntPtr OgaGenerator_SetLogits(IntPtr generator, IntPtr tensor);

    [LibraryImport(Library)]
    private static partial IntPtr OgaResultGetError(IntPtr result);

    [LibraryImport(Library)]
    private static partial void OgaDestroyResult(IntPtr result);

    /// <summary>Throws the C API's error message when <paramref name="result"/> is not null.</summary>
    public static void Check(IntPtr result, string call)
    {
        if (result == IntPtr.Zero)
        {
            return;
        }
        var message = Marshal.PtrToStringUTF8(OgaResultGetError(result)) ?? "unknown error";
        OgaDestroyResult(result);
        throw new InvalidOperationException($"ORT GenAI {call}: {message}");
    }
}
