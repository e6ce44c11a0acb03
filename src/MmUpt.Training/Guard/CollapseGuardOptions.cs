using System.ComponentModel.DataAnnotations;

namespace MmUpt.Training.Guard;

/// <summary>
/// The collapse guard (section <c>Guard</c>). Defaults come from the tiny-model measurements in DESIGN.md §5: faithful
/// self-reward moved the top-answer share from 11% to 31–44% while held-out accuracy fell, and stopping when the share
/// rose held accuracy; a labelled dev set, when given, is the most direct signal.
/// </summary>
public sealed class CollapseGuardOptions
{
    public const string Section = "Guard";

    /// <summary>Whether the guard runs; default true in every preset.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Steps averaged into the baseline the rules compare with; default 2. No rule fires before the baseline is full.</summary>
    [Range(1, 1000)]
    public int BaselineSteps { get; set; } = 2;

    /// <summary>Trigger when the top-answer share exceeds its baseline by more than this (absolute); default 0.10.</summary>
    [Range(0.0, 1.0)]
    public double MaxTopAnswerShareRise { get; set; } = 0.10;

    /// <summary>
    /// Saturation: trigger when the mean majority ratio reaches this while the answer entropy has fallen below
    /// <see cref="EntropyFloorFraction"/> of its baseline; default 0.95.
    /// </summary>
    [Range(0.0, 1.0)]
    public double SaturatedMajorityRatio { get; set; } = 0.95;

    /// <summary>The entropy floor of the saturation rule, as a fraction of the baseline entropy; default 0.5.</summary>
    [Range(0.0, 1.0)]
    public double EntropyFloorFraction { get; set; } = 0.5;

    /// <summary>Trigger when dev accuracy falls more than this below the best seen (absolute); default 0.02 (2 points).</summary>
    [Range(0.0, 1.0)]
    public double MaxDevAccuracyDrop { get; set; } = 0.02;

    /// <summary>Consecutive steps a step rule must hold before it triggers (noise on small batches; the dev rule triggers on one measurement); default 1.</summary>
    [Range(1, 100)]
    public int Patience { get; set; } = 1;

    /// <summary>What to do on a trigger; default <see cref="GuardAction.Rollback"/>.</summary>
    public GuardAction Action { get; set; } = GuardAction.Rollback;
}
