using MmUpt.Checkpoint;
using MmUpt.Processing.Images;
using MmUpt.Testing;
using SkiaSharp;

namespace MmUpt.Processing.Tests;

public class ImagePreprocessingTests
{
    [Theory]
    [InlineData(140, 196, 140, 196)]   // already multiples of 28
    [InlineData(70, 98, 56, 112)]      // 2.5 → 2 and 3.5 → 4: half to even
    [InlineData(42, 126, 56, 112)]     // 1.5 → 2, 4.5 → 4; 56·112 ≥ 3136
    [InlineData(29, 28, 84, 56)]       // 28x28 < min_pixels: β = sqrt(3136/812) → ceil(29β/28)=3, ceil(28β/28)=2
    [InlineData(1000, 2000, 308, 616)] // over 28²·256: β = sqrt(2e6/200704) → floor(1000/β/28)=11, floor(2000/β/28)=22
    public void SmartResizeMatchesTheReference(int h, int w, int eh, int ew) =>
        Assert.Equal((eh, ew), SmartResize.Compute(h, w, 28, 56 * 56, 28L * 28 * 256));

    [Fact]
    public void A_pixel_count_over_the_limit_is_refused_from_the_header_before_decoding()
    {
        var huge = BadImages.Black(20_000, 20_000);   // 1.2 MB encoded, 1.6 GB as RGBA
        var processor = new QwenImageProcessor(new ImageProcessorConfig());

        var ex = Assert.Throws<InvalidImageException>(() => processor.Process(huge));
        Assert.Equal("image of 20000x20000 px (400.0 MP) is over the limit of 50.0 MP", ex.Message);
        Assert.Equal((20_000, 20_000), ImageDecoder.ReadHeader(huge, new ImageLimits { MaxPixels = 400_000_000 }));
    }

    [Fact]
    public void A_valid_header_with_a_garbage_body_or_an_extreme_shape_is_refused_not_half_decoded()
    {
        var processor = new QwenImageProcessor(new ImageProcessorConfig());

        Assert.Throws<InvalidImageException>(() => processor.Process(BadImages.GarbageBody()));
        var truncated = BadImages.Black(64, 64)[..^40];   // IDAT cut short: SkiaSharp reports IncompleteInput
        Assert.Contains("corrupt or truncated", Assert.Throws<InvalidImageException>(() => processor.Process(truncated)).Message);
        Assert.Equal("image of 100000x1 px has an aspect ratio over 200",
            Assert.Throws<InvalidImageException>(() => processor.Process(BadImages.Black(100_000, 1))).Message);
        var ok = processor.Process(BadImages.Black(84, 56));   // the same helper makes decodable images: no resize at 84x56
        Assert.Equal((4, 6), (ok.GridH, ok.GridW));
    }

    [Fact]
    public void Mutated_images_decode_or_fail_with_one_invalid_image_error()
    {
        var processor = new QwenImageProcessor(new ImageProcessorConfig());
        var valid = BadImages.Black(84, 56);
        var mutator = new Mutator(seed: 5);
        var refused = 0;
        for (var i = 0; i < 200; i++)
        {
            try
            {
                processor.Process(mutator.Bytes(valid, out _));
            }
            catch (InvalidImageException)
            {
                refused++;
            }
        }
        Assert.InRange(refused, 1, 200);
    }

    [Fact]
    public void PilBicubicUpscaleOfTwoPixels()
    {
        // Keys a = −0.5, scale 0.5: out 0 weights (0.8672, −0.0703)/0.7969 → 100·1.0882 − 200·0.0882 = 91.18 → 91;
        // out 1 weights (0.8672, 0.2266)/1.0938 → 79.29 + 41.43 = 120.71 → 121; outs 2, 3 mirror: 179, 209.
        byte[] rgb = [100, 100, 100, 200, 200, 200];
        var o = PilBicubicResize.Resize(rgb, 2, 1, 4, 1);
        Assert.Equal(new byte[] { 91, 91, 91, 121, 121, 121, 179, 179, 179, 209, 209, 209 }, o);
    }

    [Fact]
    public void PilBicubicKeepsAFlatImageFlatWhenShrinkingAndGrowing()
    {
        var rgb = Enumerable.Repeat(new byte[] { 10, 128, 250 }, 37 * 23).SelectMany(x => x).ToArray();
        foreach (var (w, h) in new[] { (11, 7), (80, 50) })
        {
            var o = PilBicubicResize.Resize(rgb, 37, 23, w, h);
            for (var i = 0; i < o.Length; i += 3) Assert.Equal((10, 128, 250), (o[i], o[i + 1], o[i + 2]));
        }
    }

    [Fact]
    public void PatchRowsAreInMergeOrderWithChannelTimeRowColumnInside()
    {
        // 56x84 px (h x w) needs no resize: grid 1x4x6. R = y, G = x, B = 7.
        const int h = 56, w = 84;
        var rgb = new byte[h * w * 3];
        for (var y = 0; y < h; y++)
        for (var x = 0; x < w; x++)
        {
            rgb[(y * w + x) * 3] = (byte)y;
            rgb[(y * w + x) * 3 + 1] = (byte)x;
            rgb[(y * w + x) * 3 + 2] = 7;
        }
        var cfg = new ImageProcessorConfig();
        var img = new QwenImageProcessor(cfg).ProcessRgb(rgb, w, h);
        Assert.Equal((1, 4, 6, 1176), (img.GridT, img.GridH, img.GridW, img.PatchDim));
        Assert.Equal(24 * 1176, img.PixelValues.Length);
        Assert.Equal(6, img.TokenCount());
        byte Raw(int row, int index, int ch) =>
            (byte)Math.Round((img.PixelValues[row * 1176 + index] * cfg.ImageStd[ch] + cfg.ImageMean[ch]) * 255);
        // Row 5 = merge block 1 (bh 0, bw 1), inside-block 1 (dh 0, dw 1) → patch (0, 3) at y0 0, x0 42.
        // [c 0][t 0][py 2][px 3] = index 31 → R = y = 2; [c 1][t 1][py 0][px 5] = 392 + 196 + 5 → G = x = 47.
        Assert.Equal(2, Raw(5, 31, 0));
        Assert.Equal(47, Raw(5, 593, 1));
        // Row 14 = block 3 (bh 1, bw 0), inside 2 (dh 1, dw 0) → patch (3, 0) at y0 42; [c 2][t 0][13][13] → B = 7, R check via c 0.
        Assert.Equal(42 + 13, Raw(14, 13 * 14 + 13, 0));
        Assert.Equal(7, Raw(14, 784 + 13 * 14 + 13, 2));
        // Both temporal frames are the same image.
        for (var i = 0; i < 196; i++) Assert.Equal(img.PixelValues[9 * 1176 + i], img.PixelValues[9 * 1176 + 196 + i]);
    }

    [Fact]
    public void PngBytesDecodeToTheSamePixelsAsTheRawRgb()
    {
        const int w = 70, h = 42;
        using var bmp = new SKBitmap(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        var rgb = new byte[w * h * 3];
        for (var y = 0; y < h; y++)
        for (var x = 0; x < w; x++)
        {
            var c = new SKColor((byte)(x * 3), (byte)(y * 5), (byte)((x + y) % 256));
            bmp.SetPixel(x, y, c);
            (rgb[(y * w + x) * 3], rgb[(y * w + x) * 3 + 1], rgb[(y * w + x) * 3 + 2]) = (c.Red, c.Green, c.Blue);
        }
        using var png = bmp.Encode(SKEncodedImageFormat.Png, 100);
        var p = new QwenImageProcessor(new ImageProcessorConfig());
        var fromPng = p.Process(png.ToArray());
        var fromRaw = p.ProcessRgb(rgb, w, h);
        Assert.Equal((56, 56), (fromPng.ResizedHeight, fromPng.ResizedWidth)); // 42/28 = 1.5 → 2; 70/28 = 2.5 → 2
        Assert.Equal(fromRaw.PixelValues, fromPng.PixelValues);
    }
}
