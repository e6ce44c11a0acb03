using MmUpt.Core.Options;

namespace MmUpt.Learner;

/// <summary>The learner. Section <c>Learner</c>; flag <c>--device</c>.</summary>
public sealed class LearnerOptions : EngineOptions
{
    public const string Section = "Learner";
}
