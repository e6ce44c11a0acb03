using MmUpt.Grading.Expressions;

namespace MmUpt.Grading.Robust;

/// <summary>The structure of a robustly parsed answer (<see cref="AnswerParser"/>).</summary>
internal abstract record AnswerValue;

/// <summary>A number or expression; <see cref="Expression"/> is null when it does not parse, then <see cref="Text"/> decides.</summary>
internal sealed record ScalarValue(string Text, ParsedExpression? Expression) : AnswerValue;

/// <summary>Words ("odd", "Evelyn"), compared case-insensitively without spaces.</summary>
internal sealed record TextValue(string Text) : AnswerValue;

/// <summary>A multiple-choice letter written as "C", "(C)", "C.", "C)", <c>\text{C}</c>.</summary>
internal sealed record LetterValue(char Letter) : AnswerValue;

/// <summary>
/// Several values. <see cref="Open"/>/<see cref="Close"/> are the brackets of a tuple or interval ("(", "]"...):
/// compared in order with the same brackets. A set (<c>\{..\}</c>, a union, ±) has '{'; a bare list ("1, 2",
/// "1 and 2") has '\0': order-free against sets and lists, in order against a tuple.
/// </summary>
internal sealed record ListValue(IReadOnlyList<AnswerValue> Items, char Open, char Close) : AnswerValue
{
    public bool Ordered => Open is '(' or '[';
}

/// <summary>A matrix, row by row.</summary>
internal sealed record MatrixValue(IReadOnlyList<IReadOnlyList<AnswerValue>> Rows) : AnswerValue;

/// <summary>
/// <c>lhs op rhs</c> with op one of = ≠ &lt; ≤ (&gt; and ≥ are stored flipped). <see cref="NamedLeft"/>: the left
/// side only names what the right side gives (<c>x</c>, <c>f(x)</c>, <c>(p,q)</c>, <c>a_{37}</c>, <c>|AB|</c>), so the
/// relation also stands for <see cref="Right"/> alone.
/// </summary>
internal sealed record RelationValue(AnswerValue Left, char Op, AnswerValue Right, bool NamedLeft) : AnswerValue;
