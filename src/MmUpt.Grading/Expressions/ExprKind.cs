namespace MmUpt.Grading.Expressions;

/// <summary>The node kinds of a parsed expression.</summary>
internal enum ExprKind
{
    Number,
    Variable,
    Negate,
    Add,
    Subtract,
    Multiply,
    Divide,
    Power,
    Function,
}
