namespace MmUpt.Training.Guard;

/// <summary>
/// Watches the self-reward collapse signals step by step (DESIGN.md §5) and says when to stop:
/// <list type="bullet">
/// <item>drift to one prompt-independent answer: top-answer share above its baseline by more than
/// <see cref="CollapseGuardOptions.MaxTopAnswerShareRise"/>;</item>
/// <item>saturation: mean majority ratio ≥ <see cref="CollapseGuardOptions.SaturatedMajorityRatio"/> while answer
/// entropy is under <see cref="CollapseGuardOptions.EntropyFloorFraction"/> × its baseline (every group agreeing with
/// itself: no signal left, confidently wrong answers get locked in);</item>
/// <item>dev accuracy (when measured) more than <see cref="CollapseGuardOptions.MaxDevAccuracyDrop"/> below the best.</item>
/// </list>
/// The step rules must hold for <see cref="CollapseGuardOptions.Patience"/> consecutive steps; the dev rule triggers on
/// one measurement (itself an average over the dev set, taken every few steps, so a streak of steps cannot apply). The
/// baseline is the mean of the stage's first <see cref="CollapseGuardOptions.BaselineSteps"/> steps, which are measured
/// on rollouts of the starting weights and the first updates. The last good version is the newest one produced by a
/// step on which no rule held — or, when the stage started with a dev measurement (a dev set gates the guard), the
/// newest version the dev set measured within the limit on a step where no rule held: versions between two dev
/// measurements were never checked, so they are never rolled back to.
/// </summary>
public sealed class CollapseGuard
{
    private readonly CollapseGuardOptions _options;
    private readonly List<StepSignals> _baseline = [];
    private double? _bestDev;
    private int _streak;

    private readonly bool _devGated;

    /// <param name="startVersion">The weights version the stage starts from (the first rollback target).</param>
    /// <param name="startDev">The dev measurement of <paramref name="startVersion"/>, when a dev set gates the guard.</param>
    public CollapseGuard(CollapseGuardOptions options, ulong startVersion, DevMeasurement? startDev = null)
    {
        _options = options;
        LastGoodVersion = startVersion;
        _devGated = startDev is not null;
        _bestDev = startDev?.Accuracy;
    }

    public ulong LastGoodVersion { get; private set; }

    public long LastGoodStep { get; private set; }

    /// <summary>
    /// Whether <paramref name="version"/> may still be rolled back to: the last good version, and — without a dev set —
    /// newer ones, which later steps may still judge good. With a dev set, a version is judged only on the step that
    /// published and measured it, so once observed, no version but the last good one can become a rollback target.
    /// </summary>
    public bool MayRollBackTo(ulong version) => version == LastGoodVersion || (!_devGated && version > LastGoodVersion);

    /// <summary>The decision that stopped the stage, once triggered; later steps are not observed.</summary>
    public GuardDecision? Trigger { get; private set; }

    public GuardDecision Observe(StepSignals s)
    {
        if (Trigger is not null) return Trigger;
        var devObjection = _options.Enabled ? DevObjection(s) : null;
        var objection = devObjection ?? (_options.Enabled ? Objection(s) : null);
        if (s.DevAccuracy is { } dev) _bestDev = Math.Max(_bestDev ?? dev, dev);
        if (_baseline.Count < _options.BaselineSteps) _baseline.Add(s);
        if (objection is null)
        {
            _streak = 0;
            if (!_devGated || s.DevAccuracy is not null)
            {
                LastGoodVersion = _devGated ? s.DevVersion ?? s.WeightsVersion : s.WeightsVersion;
                LastGoodStep = s.Step;
            }
            return new GuardDecision(false, null, LastGoodVersion, LastGoodStep);
        }
        if (devObjection is null && ++_streak < _options.Patience) return new GuardDecision(false, null, LastGoodVersion, LastGoodStep);
        Trigger = new GuardDecision(true, $"step {s.Step}: {objection}", LastGoodVersion, LastGoodStep);
        return Trigger;
    }

    private string? DevObjection(StepSignals s) =>
        s.DevAccuracy is { } dev && _bestDev is { } best && best - dev > _options.MaxDevAccuracyDrop
            ? $"dev accuracy {dev:P1} is {best - dev:P1} below the best {best:P1} (limit {_options.MaxDevAccuracyDrop:P1})"
            : null;

    private string? Objection(StepSignals s)
    {
        if (_baseline.Count < _options.BaselineSteps) return null;
        var share = _baseline.Average(b => b.TopAnswerShare);
        if (s.TopAnswerShare - share > _options.MaxTopAnswerShareRise)
            return $"top-answer share {s.TopAnswerShare:P1} rose {s.TopAnswerShare - share:P1} over its baseline {share:P1} " +
                   $"(limit {_options.MaxTopAnswerShareRise:P1}): answers drift to one prompt-independent answer";
        var entropy = _baseline.Average(b => b.MeanAnswerEntropy);
        if (s.MeanMajorityRatio >= _options.SaturatedMajorityRatio && s.MeanAnswerEntropy < _options.EntropyFloorFraction * entropy)
            return $"majority ratio {s.MeanMajorityRatio:P1} saturated while answer entropy fell to {s.MeanAnswerEntropy:F3} " +
                   $"(baseline {entropy:F3}, floor {_options.EntropyFloorFraction:P0})";
        return null;
    }
}
