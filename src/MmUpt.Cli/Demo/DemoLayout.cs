namespace MmUpt.Cli.Demo;

/// <summary>Where a demo puts everything under its <c>--out</c> folder.</summary>
public sealed class DemoLayout(string root)
{
    /// <summary>Every top-level name the demo writes: a folder holding only these is an earlier demo output.</summary>
    public static IReadOnlyCollection<string> OwnNames { get; } =
        ["demo.json", "logs", "tasks", "init", "recipes", "sft", "sft-onnx", "arms", "plots", "report.md"];

    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>The settings of the run (seed, size, arms): marks the folder as a demo output and feeds the report.</summary>
    public string Settings => Path.Combine(Root, "demo.json");

    public string Logs => Path.Combine(Root, "logs");

    public string Tasks => Path.Combine(Root, "tasks");

    public string SftData => Path.Combine(Tasks, "sft.jsonl");

    public string UptData => Path.Combine(Tasks, "upt.jsonl");

    public string EvalData => Path.Combine(Tasks, "eval.jsonl");

    public string DevData => Path.Combine(Tasks, "dev.jsonl");

    public string Init => Path.Combine(Root, "init");

    public string Recipes => Path.Combine(Root, "recipes");

    public string Sft => Path.Combine(Root, "sft");

    /// <summary>The SFT weights every arm starts from (the SFT run's <c>final</c> HF folder).</summary>
    public string SftFinal => Path.Combine(Sft, "final");

    public string SftOnnx => Path.Combine(Root, "sft-onnx");

    public string Arm(string name) => Path.Combine(Root, "arms", name);

    public string Plots => Path.Combine(Root, "plots");

    public string Report => Path.Combine(Root, "report.md");

    public string Recipe(string name) => Path.Combine(Recipes, name + ".json");
}
