namespace MmUpt.SelfGeneration;

/// <summary>Why <see cref="QuestionFilter"/> rejects a generated question (<see cref="Accepted"/> when it does not).</summary>
public enum FilterReason
{
    Accepted,

    /// <summary>Shorter than <see cref="QuestionFilterOptions.MinChars"/> or without a letter.</summary>
    Empty,

    /// <summary>Longer than <see cref="QuestionFilterOptions.MaxChars"/> (rambling, or a whole solution).</summary>
    TooLong,

    /// <summary>Equal after normalisation to the seed question or to a question already accepted.</summary>
    Duplicate,

    /// <summary>Gives its answer away: <c>\boxed{}</c>, "the answer is", or (in-context) the seed answer as a whole word
    /// when the seed question did not contain it.</summary>
    RevealsAnswer,

    /// <summary>Contains chat or image markup (<c>&lt;|...|&gt;</c>, <c>&lt;image&gt;</c>) that would corrupt the prompt.</summary>
    Markup,

    /// <summary>Contains control characters or U+FFFD (bytes that do not decode as UTF-8): not a question a person wrote.</summary>
    Garbled,
}
