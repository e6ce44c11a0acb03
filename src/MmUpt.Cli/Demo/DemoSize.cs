namespace MmUpt.Cli.Demo;

/// <summary>
/// The demo's budget in one place: how many tasks, steps and samples the default and <c>--quick</c> runs spend. The
/// targets are ≤ 10 minutes (default) and ≤ 2 minutes (quick) on 2 CPU cores for the whole demo: tasks, init, SFT,
/// export and three UPT arms with their evaluations. Time grows with SftSteps + 3 × UptSteps (each step samples
/// B × G responses) and with the evaluations (EvalProblems × (EvalSamples + 2) responses, every EvalEvery steps; the
/// guard's dev set DevTasks × DevSamples, every DevEvery steps of each arm).
/// </summary>
/// <param name="SftTasks">Labelled tasks for the SFT warm start.</param>
/// <param name="UptTasks">Unlabelled tasks for UPT; at least UptSteps × PromptsPerStep so no prompt is seen twice.</param>
/// <param name="EvalTasks">Held-out labelled tasks.</param>
/// <param name="DevTasks">Labelled dev tasks the collapse guard measures each arm on (held out; not the reported result).</param>
/// <param name="SftSteps">SFT learner steps.</param>
/// <param name="SftBatch">Examples per SFT step (B of the SFT stage).</param>
/// <param name="UptSteps">UPT steps per arm.</param>
/// <param name="PromptsPerStep">B: groups per UPT step.</param>
/// <param name="GroupSize">G: responses per prompt.</param>
/// <param name="EvalProblems">Held-out problems per evaluation.</param>
/// <param name="EvalSamples">K: samples per problem for pass@1 and maj@K.</param>
/// <param name="EvalEvery">Steps between evaluations (plus one at the start and one at the end).</param>
/// <param name="DevSamples">Samples per dev problem (the guard reads pass@1).</param>
/// <param name="DevEvery">Steps between the guard's dev measurements (plus one at each arm's start and last step).</param>
/// <param name="MaxNewTokens">Longest response (rollouts and evaluations): the tasks' answers are a few tokens in a box.</param>
/// <param name="SftLearningRate">Learning rate of the SFT warm start (a random-init tiny model needs a large one).</param>
/// <param name="UptLearningRate">Learning rate of every UPT arm (an arm may override it in <see cref="DemoArm.Recipe"/>).</param>
public sealed record DemoSize(
    string Name,
    int SftTasks,
    int UptTasks,
    int EvalTasks,
    int DevTasks,
    int SftSteps,
    int SftBatch,
    int UptSteps,
    int PromptsPerStep,
    int GroupSize,
    int EvalProblems,
    int EvalSamples,
    int EvalEvery,
    int DevSamples,
    int DevEvery,
    int MaxNewTokens,
    double SftLearningRate,
    double UptLearningRate)
{
    public static DemoSize Default { get; } = new("default",
        SftTasks: 1200, UptTasks: 480, EvalTasks: 600, DevTasks: 300, SftSteps: 60, SftBatch: 16, UptSteps: 15,
        PromptsPerStep: 16, GroupSize: 8, EvalProblems: 600, EvalSamples: 4, EvalEvery: 5, DevSamples: 4, DevEvery: 3,
        MaxNewTokens: 16, SftLearningRate: 2e-3, UptLearningRate: 1e-4);

    public static DemoSize Quick { get; } = new("quick",
        SftTasks: 160, UptTasks: 24, EvalTasks: 20, DevTasks: 20, SftSteps: 15, SftBatch: 8, UptSteps: 3,
        PromptsPerStep: 4, GroupSize: 4, EvalProblems: 20, EvalSamples: 2, EvalEvery: 0, DevSamples: 2, DevEvery: 0,
        MaxNewTokens: 16, SftLearningRate: 2e-3, UptLearningRate: 1e-4);
}
