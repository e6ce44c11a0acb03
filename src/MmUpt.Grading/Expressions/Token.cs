namespace MmUpt.Grading.Expressions;

/// <summary>
/// One token: <see cref="Kind"/> is <c>'0'</c> number, <c>'v'</c> variable (<see cref="Code"/> = its code point),
/// <c>'f'</c> function (<see cref="Code"/> = <see cref="MathFunction"/>), or the operator / parenthesis character itself.
/// </summary>
internal readonly record struct Token(char Kind, double Value = 0, int Code = 0);
