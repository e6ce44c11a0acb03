namespace MmUpt.Grading.Expressions;

/// <summary>The functions the expression evaluator knows (names as written after LaTeX conversion).</summary>
internal enum MathFunction
{
    Sqrt,
    Sin,
    Cos,
    Tan,
    Cot,
    Sec,
    Csc,
    Arcsin,
    Arccos,
    Arctan,
    Log,
    Exp,
    Abs,
}
