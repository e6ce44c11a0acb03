namespace MmUpt.Data;

/// <summary>Shapes drawn in the tasks, each inside a square of side <c>size</c>.</summary>
public enum ShapeKind
{
    /// <summary>Disc of diameter size; area π·size²/4.</summary>
    Circle,

    /// <summary>Filled square; area size².</summary>
    Square,

    /// <summary>Isosceles triangle, base and height = size, apex up; area size²/2.</summary>
    Triangle,
}
