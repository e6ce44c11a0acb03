using MmUpt.Checkpoint;
namespace MmUpt.Processing.Layout;

/// <summary>
/// transformers <c>Qwen25VLModel.get_rope_index</c> for text and images, per row over the tokens with mask 1:
/// text gets <c>arange + st</c> in all three streams, where st = 1 + the largest position so far (0 at the start);
/// an image (the token after <c>&lt;|vision_start|&gt;</c> is <c>&lt;|image_pad|&gt;</c>) of grid (t, h, w) gets
/// (0, row, col) over its (h/m)×(w/m) merged tokens, plus text_len + st; masked positions are 1;
/// delta = max + 1 − L (L = the padded row length). Images are taken from <c>grids</c> in order across the batch.
/// Videos are not supported.
/// </summary>
public static class RopeIndex
{
    public static RopeIndexResult Compute(long[,] inputIds, long[,]? attentionMask, IReadOnlyList<GridThw> grids,
        int imageTokenId, int videoTokenId, int visionStartTokenId, int spatialMergeSize)
    {
        int b = inputIds.GetLength(0), l = inputIds.GetLength(1);
        var pos = new long[3, b, l];
        var deltas = new long[b];
        var image = 0;
        for (var row = 0; row < b; row++)
        {
            var kept = new List<int>();
            for (var j = 0; j < l; j++)
            {
                if (attentionMask is null || attentionMask[row, j] == 1) kept.Add(j);
                else for (var s = 0; s < 3; s++) pos[s, row, j] = 1;
            }
            var ids = kept.Select(j => inputIds[row, j]).ToArray();
            var rowPos = new List<(long T, long H, long W)>(ids.Length);
            long next = 0;
            var st = 0;
            for (var k = 0; k + 1 < ids.Length; k++)
            {
                if (ids[k] != visionStartTokenId) continue;
                if (ids[k + 1] == videoTokenId) throw new NotSupportedException("video inputs are not supported");
                if (ids[k + 1] != imageTokenId) continue;
                var ed = Array.IndexOf(ids, (long)imageTokenId, Math.Max(st, k + 1));
                if (image >= grids.Count)
                    throw new ArgumentException($"batch has more images (<|vision_start|><|image_pad|>) than image_grid_thw rows ({grids.Count})");
                var g = grids[image++];
                for (var i = st; i < ed; i++, next++) rowPos.Add((next, next, next));
                int gh = g.H / spatialMergeSize, gw = g.W / spatialMergeSize;
                var start = next;
                long max = start - 1;
                for (var t = 0; t < g.T; t++)
                for (var h = 0; h < gh; h++)
                for (var w = 0; w < gw; w++)
                {
                    // t index = t · second_per_grid_t · tokens_per_second, and second_per_grid_t is 0 for images.
                    rowPos.Add((start, start + h, start + w));
                    max = Math.Max(max, Math.Max(start + h, start + w));
                }
                next = max + 1;
                st = ed + g.T * gh * gw;
                k = st - 1;
            }
            for (var i = st; i < ids.Length; i++, next++) rowPos.Add((next, next, next));
            if (rowPos.Count != ids.Length)
                throw new ArgumentException($"row {row}: an image has fewer <|image_pad|> tokens than its grid needs");
            for (var i = 0; i < kept.Count; i++)
            {
                pos[0, row, kept[i]] = rowPos[i].T;
                pos[1, row, kept[i]] = rowPos[i].H;
                pos[2, row, kept[i]] = rowPos[i].W;
            }
            deltas[row] = (rowPos.Count == 0 ? 0 : rowPos.Max(p => Math.Max(p.T, Math.Max(p.H, p.W))) + 1) - l;
        }
        if (image != grids.Count)
            throw new ArgumentException($"image_grid_thw has {grids.Count} rows but the batch has {image} images");
        return new RopeIndexResult(pos, deltas);
    }

    public static RopeIndexResult Compute(long[,] inputIds, long[,]? attentionMask, IReadOnlyList<GridThw> grids, Qwen25VLConfig c) =>
        Compute(inputIds, attentionMask, grids, c.ImageTokenId, c.VideoTokenId, c.VisionStartTokenId, c.VisionConfig.SpatialMergeSize);
}
