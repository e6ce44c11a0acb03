namespace MmUpt.Processing.Images;

/// <summary>
/// Pillow's <c>Image.resize(size, BICUBIC)</c> on 8-bit RGB, reproduced: separable Keys cubic (a = −0.5) whose support
/// widens by the scale when shrinking (antialiasing), coefficients normalised then quantised to 22-bit fixed point,
/// horizontal pass to uint8, then vertical pass to uint8 (Pillow <c>libImaging/Resample.c</c>). transformers'
/// Qwen2VLImageProcessor resizes with Pillow, and onnxruntime-extensions (ORT GenAI's processor) emulates it, so this
/// keeps learner and sampler on the same pixels. SkiaSharp's cubic filter does not antialias and would not match.
/// </summary>
public static class PilBicubicResize
{
    private const int PrecisionBits = 32 - 8 - 2;

    /// <summary>Resizes interleaved RGB bytes [h, w, 3] to [outH, outW, 3].</summary>
    public static byte[] Resize(byte[] rgb, int width, int height, int outWidth, int outHeight)
    {
        if (rgb.Length != width * height * 3) throw new ArgumentException($"expected {width * height * 3} RGB bytes, got {rgb.Length}");
        var tmp = width == outWidth ? rgb : Pass(rgb, width, height, outWidth, horizontal: true);
        return height == outHeight ? tmp : Pass(tmp, outWidth, height, outHeight, horizontal: false);
    }

    private static byte[] Pass(byte[] src, int width, int height, int outSize, bool horizontal)
    {
        var inSize = horizontal ? width : height;
        var (bounds, coeffs, ksize) = Coefficients(inSize, outSize);
        var outW = horizontal ? outSize : width;
        var outH = horizontal ? height : outSize;
        var dst = new byte[outW * outH * 3];
        for (var y = 0; y < outH; y++)
        {
            for (var x = 0; x < outW; x++)
            {
                var o = horizontal ? x : y;
                var (min, count) = bounds[o];
                for (var c = 0; c < 3; c++)
                {
                    long ss = 1L << (PrecisionBits - 1);
                    for (var k = 0; k < count; k++)
                    {
                        var idx = horizontal ? (y * width + min + k) * 3 + c : ((min + k) * width + x) * 3 + c;
                        ss += src[idx] * (long)coeffs[o * ksize + k];
                    }
                    dst[(y * outW + x) * 3 + c] = Clip8(ss);
                }
            }
        }
        return dst;
    }

    private static byte Clip8(long v)
    {
        var s = v >> PrecisionBits;
        return s < 0 ? (byte)0 : s > 255 ? (byte)255 : (byte)s;
    }

    private static double Cubic(double x)
    {
        const double a = -0.5;
        x = Math.Abs(x);
        if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
        if (x < 2.0) return (((x - 5) * x + 8) * x - 4) * a;
        return 0;
    }

    private static ((int Min, int Count)[] Bounds, int[] Coeffs, int KSize) Coefficients(int inSize, int outSize)
    {
        const double support0 = 2.0;
        var scale = (double)inSize / outSize;
        var filterScale = Math.Max(scale, 1.0);
        var support = support0 * filterScale;
        var ksize = (int)Math.Ceiling(support) * 2 + 1;
        var bounds = new (int, int)[outSize];
        var coeffs = new int[outSize * ksize];
        var k = new double[ksize];
        for (var xx = 0; xx < outSize; xx++)
        {
            var center = (xx + 0.5) * scale;
            var ss = 1.0 / filterScale;
            var xmin = Math.Max(0, (int)(center - support + 0.5));
            var xmax = Math.Min(inSize, (int)(center + support + 0.5)) - xmin;
            double ww = 0;
            for (var x = 0; x < xmax; x++)
            {
                k[x] = Cubic((x + xmin - center + 0.5) * ss);
                ww += k[x];
            }
            for (var x = 0; x < xmax; x++)
            {
                var w = ww != 0 ? k[x] / ww : k[x];
                coeffs[xx * ksize + x] = (int)(w < 0 ? Math.Truncate(-0.5 + w * (1 << PrecisionBits)) : Math.Truncate(0.5 + w * (1 << PrecisionBits)));
            }
            bounds[xx] = (xmin, xmax);
        }
        return (bounds, coeffs, ksize);
    }
}
