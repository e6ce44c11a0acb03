using System.Collections.Frozen;

namespace MmUpt.Grading.Faithful;

/// <summary>
/// What pylatexenc 2.10's <c>LatexNodes2Text</c> prints for the macros that appear in math answers, read off its output
/// (scripts/grader-oracle). A macro not listed prints nothing and takes no argument, so its braced group prints as
/// plain text (<c>\boxed{5}</c> → <c>5</c>, <c>\dfrac{1}{2}</c> → <c>12</c>, <c>\cot</c> → nothing).
/// </summary>
internal static class PyLatexSymbols
{
    public static FrozenDictionary<string, string> Text { get; } = new Dictionary<string, string>
    {
        ["pi"] = "π", ["alpha"] = "α", ["beta"] = "β", ["gamma"] = "γ", ["delta"] = "δ", ["epsilon"] = "ϵ",
        ["varepsilon"] = "ε", ["theta"] = "θ", ["vartheta"] = "ϑ", ["lambda"] = "λ", ["mu"] = "μ", ["sigma"] = "σ",
        ["phi"] = "ϕ", ["varphi"] = "φ", ["omega"] = "ω", ["rho"] = "ρ", ["tau"] = "τ", ["eta"] = "η", ["zeta"] = "ζ",
        ["xi"] = "ξ", ["chi"] = "χ", ["psi"] = "ψ", ["nu"] = "ν", ["kappa"] = "κ", ["iota"] = "ι", ["Delta"] = "Δ",
        ["Gamma"] = "Γ", ["Omega"] = "Ω", ["Phi"] = "Φ", ["Sigma"] = "Σ", ["Theta"] = "Θ", ["Lambda"] = "Λ", ["Pi"] = "Π",
        ["cdot"] = "·", ["times"] = "×", ["div"] = "÷", ["pm"] = "±", ["mp"] = "∓", ["le"] = "≤", ["leq"] = "≤",
        ["ge"] = "≥", ["geq"] = "≥", ["neq"] = "≠", ["approx"] = "≈", ["sim"] = "∼", ["simeq"] = "≃", ["equiv"] = "≡",
        ["cong"] = "≅", ["propto"] = "∝", ["infty"] = "∞", ["cup"] = "∪", ["cap"] = "∩", ["subset"] = "⊂",
        ["subseteq"] = "⊆", ["supset"] = "⊃", ["in"] = "∈", ["notin"] = "∉", ["emptyset"] = "∅", ["varnothing"] = "∅",
        ["circ"] = "∘", ["angle"] = "∠", ["perp"] = "⊥", ["parallel"] = "∥", ["prime"] = "'", ["ldots"] = "…",
        ["cdots"] = "⋯", ["dots"] = "…", ["vdots"] = "⋮", ["to"] = "→", ["rightarrow"] = "→", ["Rightarrow"] = "⇒",
        ["leftrightarrow"] = "↔", ["mid"] = "|", ["vert"] = "|", ["lvert"] = "|", ["rvert"] = "|", ["Vert"] = "‖",
        ["langle"] = "⟨", ["rangle"] = "⟩", ["lfloor"] = "⌊", ["rfloor"] = "⌋", ["lceil"] = "⌈", ["rceil"] = "⌉",
        ["sin"] = "sin", ["cos"] = "cos", ["tan"] = "tan", ["arcsin"] = "arcsin", ["arccos"] = "arccos",
        ["arctan"] = "arctan", ["sinh"] = "sinh", ["cosh"] = "cosh", ["tanh"] = "tanh", ["log"] = "log", ["ln"] = "ln",
        ["exp"] = "exp", ["max"] = "max", ["min"] = "min", ["lim"] = "lim", ["ast"] = "∗", ["star"] = "⋆",
        ["bullet"] = "∙", ["square"] = "□", ["therefore"] = "∴", ["because"] = "∵", ["oplus"] = "⊕", ["otimes"] = "⊗",
        ["leqslant"] = "⩽", ["geqslant"] = "⩾", ["ll"] = "≪", ["gg"] = "≫", ["wedge"] = "∧", ["vee"] = "∨",
        ["forall"] = "∀", ["exists"] = "∃", ["partial"] = "∂", ["nabla"] = "∇", ["int"] = "∫", ["sum"] = "∑",
        ["prod"] = "∏", ["textdegree"] = "°", ["ell"] = "ℓ", ["hbar"] = "ħ", ["quad"] = "  ", ["qquad"] = "    ",
        ["setminus"] = "∖", ["backslash"] = "\\", ["textbackslash"] = "\\",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Macros that take one argument and print nothing (<c>\mbox{ cm}</c> → nothing).</summary>
    public static FrozenSet<string> Discarding { get; } =
        new[] { "mbox", "textsf", "texttt", "hspace", "label", "vspace" }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>One-character macros: <c>\,</c> <c>\;</c> <c>\:</c> print a space, <c>\{</c> a brace; others nothing.</summary>
    public static string Symbol(char c) => c switch
    {
        ',' or ';' or ':' or ' ' or '\n' => " ",
        '\\' => "\n",
        '{' or '}' or '$' or '%' or '_' or '&' or '#' => c.ToString(),
        _ => "",
    };

    /// <summary>Offsets of the Unicode math alphabets for <c>\mathbf</c> and friends (capital A, small a).</summary>
    public static (int Upper, int Lower)? Alphabet(string macro) => macro switch
    {
        "mathbf" => (0x1D400, 0x1D41A),
        "mathit" => (0x1D434, 0x1D44E),
        "mathsf" => (0x1D5A0, 0x1D5BA),
        "mathtt" => (0x1D670, 0x1D68A),
        "mathbb" => (0x1D538, 0x1D552),
        "mathcal" or "mathscr" => (0x1D49C, 0x1D4B6),
        "mathfrak" => (0x1D504, 0x1D51E),
        _ => null,
    };
}
