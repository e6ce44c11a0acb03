namespace MmUpt.Grading.Faithful;

/// <summary>
/// One node of an expression as sympy's <c>parse_expr</c> reads it (<see cref="SympyParser"/>). <see cref="Exact"/>
/// holds an Integer or a Float's exact value; <see cref="Name"/> a symbol's name or a function's.
/// </summary>
internal sealed record SympyNode(char Op, SympyNode? Left = null, SympyNode? Right = null, ExactNumber? Exact = null,
    string? Name = null, bool IsFloat = false)
{
    // Op: 'n' number, 's' symbol, 'p' pi, 'f' function call (Name), '~' negate, '!' factorial, or + - * / ^.
    public bool HasFloat => IsFloat || (Left?.HasFloat ?? false) || (Right?.HasFloat ?? false);
}
