namespace MmUpt.Data;

/// <summary>
/// The splits of the demo: SFT warm start (labelled), UPT (labels withheld), held-out eval (labelled), and an optional
/// labelled dev split (held out like eval, for decisions during a run such as the collapse guard's, never for reporting).
/// </summary>
public enum DataSplit
{
    Sft,
    Upt,
    Eval,
    Dev,
}
