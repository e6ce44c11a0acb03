using System.ComponentModel.DataAnnotations;

namespace MmUpt.Data;

/// <summary>The texts of <see cref="PromptTemplate"/>; the defaults reproduce the MM-UPT training prompt.</summary>
public sealed class PromptTemplateOptions
{
    public const string Section = "Prompt";

    /// <summary>Qwen2.5-VL's default system line, which its chat template adds when a conversation has none.</summary>
    public const string DefaultSystem = MmUpt.Processing.Tokenization.QwenChatTemplate.DefaultSystem;

    /// <summary>
    /// MM-UPT's <c>FORMAT_PROMPT</c> (examples/qwen2_5_vl_7b_mmr1.sh L5), without its leading <c>\n</c>: the script writes
    /// "\nPlease reason ..." and EasyR1 appends <c>" " + format_prompt.strip()</c>. Under bash double quotes that <c>\n</c>
    /// stays a literal backslash-n that <c>strip()</c> would not remove; we take the evident intent (a newline, stripped).
    /// </summary>
    public const string DefaultInstruction = @"Please reason step by step, and put your final answer within \boxed{}.";

    /// <summary>The system turn (default <see cref="DefaultSystem"/>).</summary>
    [Required(AllowEmptyStrings = true)]
    public string System { get; set; } = DefaultSystem;

    /// <summary>Appended to every question after <see cref="Separator"/> (default <see cref="DefaultInstruction"/>); empty appends nothing.</summary>
    [Required(AllowEmptyStrings = true)]
    public string Instruction { get; set; } = DefaultInstruction;

    /// <summary>Between the question and the instruction (default one space, as EasyR1).</summary>
    [Required(AllowEmptyStrings = true)]
    public string Separator { get; set; } = " ";
}
