using MmUpt.Training.Guard;

namespace MmUpt.Training.Tests;

public sealed class CollapseGuardTests
{
    private static StepSignals Step(long step, double share, double ratio = 0.5, double entropy = 1.0, double? dev = null) =>
        new(step, (ulong)step, share, ratio, entropy, dev);

    [Fact]
    public void Healthy_steps_advance_the_last_good_version()
    {
        var guard = new CollapseGuard(new CollapseGuardOptions(), startVersion: 0);
        foreach (var s in new[] { Step(1, 0.11), Step(2, 0.13), Step(3, 0.15), Step(4, 0.20) })
        {
            Assert.False(guard.Observe(s).Triggered);
        }
        Assert.Equal(4ul, guard.LastGoodVersion);
        Assert.Null(guard.Trigger);
    }

    [Fact]
    public void Top_answer_drift_triggers_with_the_last_good_version_before_it()
    {
        // The measured regime: the share of the most common answer across prompts climbing from ~11% toward 31–44%.
        var guard = new CollapseGuard(new CollapseGuardOptions(), startVersion: 0);
        guard.Observe(Step(1, 0.11));
        guard.Observe(Step(2, 0.11));
        Assert.False(guard.Observe(Step(3, 0.18)).Triggered);
        var decision = guard.Observe(Step(4, 0.31));

        Assert.True(decision.Triggered);
        Assert.Equal(3ul, decision.LastGoodVersion);
        Assert.Equal(3, decision.LastGoodStep);
        Assert.Contains("top-answer share", decision.Reason);
        Assert.Same(decision, guard.Observe(Step(5, 0.11)));
    }

    [Fact]
    public void Saturation_needs_both_a_high_majority_ratio_and_fallen_entropy()
    {
        var guard = new CollapseGuard(new CollapseGuardOptions(), startVersion: 7);
        guard.Observe(Step(1, 0.1, ratio: 0.6, entropy: 1.2));
        guard.Observe(Step(2, 0.1, ratio: 0.6, entropy: 1.2));
        Assert.False(guard.Observe(Step(3, 0.1, ratio: 0.97, entropy: 0.9)).Triggered);
        Assert.False(guard.Observe(Step(4, 0.1, ratio: 0.90, entropy: 0.3)).Triggered);
        var decision = guard.Observe(Step(5, 0.1, ratio: 0.97, entropy: 0.3));
        Assert.True(decision.Triggered);
        Assert.Contains("saturated", decision.Reason);
        Assert.Equal(4ul, decision.LastGoodVersion);
    }

    [Fact]
    public void A_dev_accuracy_drop_beyond_the_limit_triggers_even_inside_the_baseline()
    {
        var guard = new CollapseGuard(new CollapseGuardOptions { BaselineSteps = 5 }, startVersion: 0);
        Assert.False(guard.Observe(Step(1, 0.1, dev: 0.40)).Triggered);
        Assert.False(guard.Observe(Step(2, 0.1, dev: 0.385)).Triggered);
        var decision = guard.Observe(Step(3, 0.1, dev: 0.37));
        Assert.True(decision.Triggered);
        Assert.Contains("dev accuracy", decision.Reason);
        Assert.Equal(2ul, decision.LastGoodVersion);
    }

    /// <summary>
    /// A dev set measured every few steps gates the guard: only the versions it measured within the limit become the
    /// rollback target (steps between two measurements were never checked), and one measurement past the limit
    /// triggers despite a patience of 2 (the unmeasured steps in between would break any streak).
    /// </summary>
    [Fact]
    public void A_dev_set_gates_the_last_good_version_and_triggers_on_one_measurement()
    {
        var guard = new CollapseGuard(new CollapseGuardOptions { Patience = 2, MaxDevAccuracyDrop = 0.02 }, startVersion: 10,
            startDev: new DevMeasurement(0.40, 10));
        StepSignals Measured(long step, double dev) => Step(step, 0.1, dev: dev) with { WeightsVersion = 10 + (ulong)step - 1, DevVersion = 10 + (ulong)step };

        Assert.False(guard.Observe(Step(1, 0.1) with { WeightsVersion = 10 }).Triggered);
        Assert.False(guard.Observe(Step(2, 0.1) with { WeightsVersion = 11 }).Triggered);
        Assert.Equal(10ul, guard.LastGoodVersion);                   // v11 and v12 were not measured
        Assert.False(guard.Observe(Measured(3, 0.385)).Triggered);    // 1.5 points under the start: within the limit
        Assert.Equal(13ul, guard.LastGoodVersion);
        Assert.Equal(3, guard.LastGoodStep);
        Assert.False(guard.Observe(Step(4, 0.1) with { WeightsVersion = 13 }).Triggered);
        Assert.False(guard.Observe(Step(5, 0.1) with { WeightsVersion = 14 }).Triggered);
        var decision = guard.Observe(Measured(6, 0.37));              // 3 points under the start

        Assert.True(decision.Triggered);
        Assert.Contains("dev accuracy 37", decision.Reason);
        Assert.Equal(13ul, decision.LastGoodVersion);
        Assert.Equal(3, decision.LastGoodStep);
    }

    [Fact]
    public void With_a_dev_set_only_the_last_good_version_stays_a_rollback_target_without_one_newer_versions_too()
    {
        var gated = new CollapseGuard(new CollapseGuardOptions(), startVersion: 10, startDev: new DevMeasurement(0.40, 10));
        gated.Observe(Step(1, 0.1) with { WeightsVersion = 10 });                  // v11 published, not measured
        Assert.True(gated.MayRollBackTo(10));
        Assert.False(gated.MayRollBackTo(11));
        gated.Observe(Step(2, 0.1, dev: 0.41) with { WeightsVersion = 11, DevVersion = 12 });
        Assert.Equal([12ul], new ulong[] { 10, 11, 12 }.Where(gated.MayRollBackTo));

        var plain = new CollapseGuard(new CollapseGuardOptions(), startVersion: 10);
        plain.Observe(Step(1, 0.1) with { WeightsVersion = 10 });                  // judges v10 through its rollouts; v11 is next
        Assert.Equal([10ul, 11ul], new ulong[] { 9, 10, 11 }.Where(plain.MayRollBackTo));
    }

    [Fact]
    public void A_measured_version_that_another_rule_objects_to_is_not_a_rollback_target()
    {
        var guard = new CollapseGuard(new CollapseGuardOptions { Patience = 3, BaselineSteps = 1 }, startVersion: 0, startDev: new DevMeasurement(0.4, 0));
        guard.Observe(Step(1, 0.1));
        Assert.False(guard.Observe(Step(2, 0.5, dev: 0.41) with { DevVersion = 3 }).Triggered);   // top-answer drift, patience not yet spent
        Assert.Equal(0ul, guard.LastGoodVersion);
    }

    [Fact]
    public void Patience_requires_consecutive_objections_and_a_good_step_resets_it()
    {
        var guard = new CollapseGuard(new CollapseGuardOptions { Patience = 2 }, startVersion: 0);
        guard.Observe(Step(1, 0.1));
        guard.Observe(Step(2, 0.1));
        Assert.False(guard.Observe(Step(3, 0.4)).Triggered);
        Assert.False(guard.Observe(Step(4, 0.1)).Triggered);
        Assert.False(guard.Observe(Step(5, 0.4)).Triggered);
        var decision = guard.Observe(Step(6, 0.4));
        Assert.True(decision.Triggered);
        Assert.Equal(4ul, decision.LastGoodVersion);
    }

    [Fact]
    public void A_disabled_guard_never_triggers()
    {
        var guard = new CollapseGuard(new CollapseGuardOptions { Enabled = false }, startVersion: 0);
        guard.Observe(Step(1, 0.1));
        guard.Observe(Step(2, 0.1));
        Assert.False(guard.Observe(Step(3, 0.9, ratio: 1.0, entropy: 0.0, dev: 0.0)).Triggered);
        Assert.Equal(3ul, guard.LastGoodVersion);
    }
}
