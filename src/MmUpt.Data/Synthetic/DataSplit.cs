namespace MmUpt.Data;

/// <summary>The three splits of the demo: SFT warm start (labelled), UPT (labels withheld), held-out eval (labelled).</summary>
public enum DataSplit
{
    Sft,
    Upt,
    Eval,
}
