namespace MmUpt.Data.Tests;

public sealed class SyntheticTaskTests
{
    public static TheoryData<SyntheticTaskKind, int> KindsAndLevels()
    {
        var data = new TheoryData<SyntheticTaskKind, int>();
        foreach (var kind in Enum.GetValues<SyntheticTaskKind>())
        for (var level = SyntheticTasks.MinLevel; level <= SyntheticTasks.MaxLevel; level++)
            data.Add(kind, level);
        return data;
    }

    [Theory]
    [MemberData(nameof(KindsAndLevels))]
    public void Answers_agree_with_what_the_pixels_show(SyntheticTaskKind kind, int level)
    {
        var answers = new HashSet<string>();
        for (var seed = 0; seed < 40; seed++)
        {
            var task = SyntheticTasks.Generate(kind, level, SeededRandom.For(seed, 100));

            Assert.Equal(task.Answer, TaskReader.Solve(task.Problem, task.Png));
            var image = new PixelImage(task.Png);
            Assert.Equal((task.Width, task.Height), (image.Width, image.Height));
            answers.Add(task.Answer);
        }
        Assert.True(answers.Count >= 2, $"{kind} level {level} always answers {answers.First()}");
    }

    [Theory]
    [MemberData(nameof(KindsAndLevels))]
    public void Images_are_small_multiples_of_28_and_problems_have_one_placeholder(SyntheticTaskKind kind, int level)
    {
        var task = SyntheticTasks.Generate(kind, level, new SeededRandom(3));

        Assert.Equal(0, task.Width % 28);
        Assert.Equal(0, task.Height % 28);
        Assert.InRange(task.Width, 56, 168);
        Assert.InRange(task.Height, 56, 168);
        Assert.StartsWith("<image>", task.Problem);
        Assert.Equal(1, DataRecord.CountPlaceholders(task.Problem));
    }

    [Fact]
    public void The_same_seed_gives_the_same_set_and_another_seed_another()
    {
        var options = new SyntheticSetOptions { Seed = 5, SftCount = 6, UptCount = 6, EvalCount = 6, Levels = [1, 2, 3] };

        var a = SyntheticSetBuilder.Generate(options).ToList();
        var b = SyntheticSetBuilder.Generate(options).ToList();
        var c = SyntheticSetBuilder.Generate(new SyntheticSetOptions { Seed = 6, SftCount = 6, UptCount = 6, EvalCount = 6, Levels = [1, 2, 3] }).ToList();

        Assert.Equal(a.Select(t => (t.Split, t.Id, t.Task.Problem, t.Task.Answer, t.Task.Key)), b.Select(t => (t.Split, t.Id, t.Task.Problem, t.Task.Answer, t.Task.Key)));
        Assert.Equal(a.Select(t => t.Task.Png), b.Select(t => t.Task.Png));
        Assert.NotEqual(a.Select(t => t.Task.Png), c.Select(t => t.Task.Png));
        Assert.Equal(6, a.Count(t => t.Split == DataSplit.Eval));
    }

    [Fact]
    public void Splits_are_disjoint_by_generation_parameters_whatever_the_seed()
    {
        // Two seeds merged: a key may never show up in two splits, even across runs.
        var tasks = new[] { 11L, 12L }.SelectMany(seed => SyntheticSetBuilder.Generate(new SyntheticSetOptions
        {
            Seed = seed, SftCount = 60, UptCount = 100, EvalCount = 40, DevCount = 20, Levels = [1, 2, 3],
        })).ToList();

        var splitsPerKey = tasks.GroupBy(t => t.Task.Key).Select(g => g.Select(t => t.Split).Distinct().Count());
        Assert.All(splitsPerKey, n => Assert.Equal(1, n));

        // Independently of the keys: digit sequences read off the add images never cross splits.
        var sequences = tasks.Where(t => t.Task.Kind == SyntheticTaskKind.DigitSum)
            .Select(t => (t.Split, Digits: string.Join("", TaskReader.ReadDigits(new PixelImage(t.Task.Png)))))
            .GroupBy(t => t.Digits).Select(g => g.Select(t => t.Split).Distinct().Count()).ToList();
        Assert.True(sequences.Count > 20);
        Assert.All(sequences, n => Assert.Equal(1, n));
        Assert.All(Enum.GetValues<DataSplit>(), s => Assert.Contains(tasks, t => t.Split == s));
    }
}
