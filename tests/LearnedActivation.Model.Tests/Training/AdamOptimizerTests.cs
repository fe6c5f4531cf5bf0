using LearnedActivation.Model.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LearnedActivation.Model.Tests.Training;

public sealed class AdamOptimizerTests
{
    [Fact]
    public void UpdatesMatchTorchSharpsAdamStepForStep()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(7, CPU);
        var ours = nn.Linear(5, 3);
        var reference = nn.Linear(5, 3);
        reference.load_state_dict(ours.state_dict());
        using var adam = new AdamOptimizer(ours.parameters(), 0.01);
        using var torchAdam = optim.Adam(reference.parameters(), 0.01);

        for (var step = 0; step < 20; step++)
        {
            var x = randn(new long[] { 16, 5 }, generator: generator);
            adam.ZeroGrad();
            ours.forward(x).pow(2).sum().backward();
            adam.Step();
            torchAdam.zero_grad();
            reference.forward(x).pow(2).sum().backward();
            torchAdam.step();
        }

        Assert.Equal(20, adam.Steps);
        foreach (var (name, value) in ours.state_dict())
        {
            var expected = reference.state_dict()[name].data<float>().ToArray();
            var actual = value.data<float>().ToArray();
            Assert.Equal(expected.Length, actual.Length);
            for (var i = 0; i < expected.Length; i++)
            {
                Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-6, $"{name}[{i}]: {actual[i]} vs torch's {expected[i]}");
            }
        }
    }

    [Fact]
    public void TheFlatStepGivesTheSameBitsAsOneParameterAtATime()
    {
        // Lengths that end inside and outside libtorch's vector loops, rates per parameter, a warm-up factor on some
        // steps, and a quartic loss whose gradients span many magnitudes: any operation that rounds differently on
        // the flat tensors (or in the C# addcdiv) shows as a different bit within a few of the 40 steps.
        using var scope = NewDisposeScope();
        int[] lengths = [1, 3, 7, 8, 16, 17, 31, 100, 513, 960, 4099];
        var generator = new Generator(11, CPU);
        var flatParameters = lengths.Select(n => nn.Parameter(randn([n], generator: generator))).ToArray();
        var eachParameters = flatParameters.Select(p => nn.Parameter(p.detach().clone())).ToArray();
        double RateOf(int index) => 0.001 * (1 + (index % 3));
        using var flat = new AdamOptimizer(flatParameters, p => RateOf(Array.IndexOf(flatParameters, p)), flat: true);
        using var each = new AdamOptimizer(eachParameters, p => RateOf(Array.IndexOf(eachParameters, p)), flat: false);

        for (var step = 0; step < 40; step++)
        {
            var targets = lengths.Select(n => randn([n], generator: generator).mul(3)).ToArray();
            var factor = step < 5 ? (step + 1) / 5.0 : 1;
            foreach (var (parameters, optimizer) in new[] { (flatParameters, flat), (eachParameters, each) })
            {
                // From step 20 on, two parameters (one inside, one at the end) are left out of the loss: without
                // a gradient they must keep their values and moments, and the others still step.
                optimizer.ZeroGrad();
                var used = parameters.Select((p, i) => (p, i)).Where(x => step < 20 || (x.i != 4 && x.i != lengths.Length - 1));
                var loss = used.Select(x => x.p.sub(targets[x.i]).pow(4).sum()).Aggregate((a, b) => a.add(b));
                if (step == 20)
                {
                    foreach (var parameter in parameters)
                    {
                        parameter.grad = null;
                    }
                }

                loss.backward();
                Assert.Equal(step >= 20, parameters[4].grad is null);
                optimizer.Step(factor);
            }

            for (var i = 0; i < lengths.Length; i++)
            {
                Assert.Equal(eachParameters[i].data<float>().ToArray(), flatParameters[i].data<float>().ToArray());
            }
        }

        Assert.Equal(State(each), State(flat));
    }

    [Fact]
    public void AParameterWithoutAGradientKeepsItsValueAndMoments()
    {
        using var scope = NewDisposeScope();
        float[] start = [1f, -2f];
        var used = nn.Parameter(tensor(start));
        var unused = nn.Parameter(tensor(5f).reshape(1));
        using var adam = new AdamOptimizer([used, unused], 0.1);
        // Moments from earlier steps (as a resumed run has them): a step that treated the missing gradient as zero
        // would decay them and, with a first moment that is not zero, move the parameter.
        adam.Load(StateReader(step: 4, firstMoments: [[0f, 0f], [0.5f]], secondMoments: [[0f, 0f], [0.25f]]));
        for (var step = 0; step < 3; step++)
        {
            adam.ZeroGrad();
            used.pow(2).sum().backward();
            adam.Step();
        }

        Assert.Equal(5f, Assert.Single(unused.data<float>().ToArray()));
        Assert.NotEqual(start, used.data<float>().ToArray());
        var (steps, first, second) = Moments(State(adam), parameters: 2);
        Assert.Equal(7, steps);
        Assert.Equal([0.5f], first[1]);
        Assert.Equal([0.25f], second[1]);
        Assert.NotEqual([0f, 0f], first[0]);
    }

    /// <summary>An optimiser state in <see cref="AdamOptimizer.Save"/>'s format.</summary>
    private static BinaryReader StateReader(long step, float[][] firstMoments, float[][] secondMoments)
    {
        var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(step);
            writer.Write(firstMoments.Length);
            foreach (var moment in firstMoments.Concat(secondMoments))
            {
                writer.Write(moment.Length);
                foreach (var value in moment)
                {
                    writer.Write(value);
                }
            }
        }

        stream.Position = 0;
        return new BinaryReader(stream);
    }

    /// <summary>The step count and the moments of a state saved by <see cref="AdamOptimizer.Save"/>.</summary>
    private static (long Step, float[][] First, float[][] Second) Moments(byte[] state, int parameters)
    {
        using var reader = new BinaryReader(new MemoryStream(state));
        var step = reader.ReadInt64();
        Assert.Equal(parameters, reader.ReadInt32());
        var moments = new float[2 * parameters][];
        for (var i = 0; i < moments.Length; i++)
        {
            moments[i] = new float[reader.ReadInt32()];
            for (var j = 0; j < moments[i].Length; j++)
            {
                moments[i][j] = reader.ReadSingle();
            }
        }

        return (step, moments[..parameters], moments[parameters..]);
    }

    private static byte[] State(AdamOptimizer optimizer)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            optimizer.Save(writer);
        }

        return stream.ToArray();
    }

    [Fact]
    public void ALearningRateFactorScalesTheStepAsALowerRateWould()
    {
        using var scope = NewDisposeScope();
        var scaled = nn.Parameter(tensor(new[] { 1f, -2f, 3f }));
        var lower = nn.Parameter(tensor(new[] { 1f, -2f, 3f }));
        using var scaledAdam = new AdamOptimizer([scaled], 0.01);
        using var lowerAdam = new AdamOptimizer([lower], 0.0025);

        for (var step = 0; step < 3; step++)
        {
            scaledAdam.ZeroGrad();
            scaled.pow(2).sum().backward();
            scaledAdam.Step(0.25);
            lowerAdam.ZeroGrad();
            lower.pow(2).sum().backward();
            lowerAdam.Step();
        }

        Assert.Equal(lower.data<float>().ToArray(), scaled.data<float>().ToArray());
    }

    [Fact]
    public void SavedStateRestoresTheSameNextUpdate()
    {
        using var scope = NewDisposeScope();
        var layer = nn.Linear(4, 2);
        using var adam = new AdamOptimizer(layer.parameters(), 0.05);
        var x = ones(8, 4);
        for (var step = 0; step < 3; step++)
        {
            adam.ZeroGrad();
            layer.forward(x).sum().backward();
            adam.Step();
        }

        using var saved = new MemoryStream();
        using (var writer = new BinaryWriter(saved, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            adam.Save(writer);
        }

        var copy = nn.Linear(4, 2);
        copy.load_state_dict(layer.state_dict());
        using var restored = new AdamOptimizer(copy.parameters(), 0.05);
        saved.Position = 0;
        restored.Load(new BinaryReader(saved));

        foreach (var (net, optimizer) in new[] { (layer, adam), (copy, restored) })
        {
            optimizer.ZeroGrad();
            net.forward(x).sum().backward();
            optimizer.Step();
        }

        Assert.Equal(layer.weight!.data<float>().ToArray(), copy.weight!.data<float>().ToArray());
        Assert.Equal(4, restored.Steps);
    }

    [Fact]
    public void EachParameterStepsAtItsOwnRate()
    {
        using var scope = NewDisposeScope();
        var fast = nn.Parameter(tensor(new[] { 1f, -2f, 3f }));
        var slow = nn.Parameter(tensor(new[] { 1f, -2f, 3f }));
        using var grouped = new AdamOptimizer([fast, slow], p => ReferenceEquals(p, slow) ? 0.001 : 0.01);

        for (var step = 0; step < 3; step++)
        {
            grouped.ZeroGrad();
            fast.pow(2).sum().add(slow.pow(2).sum()).backward();
            grouped.Step();
        }

        // Adam's first steps move each value by about its rate (the gradient's sign times the rate): 0.03 and 0.003 here.
        static float[] Moved(Parameter p) => [.. p.data<float>().ToArray().Zip(new[] { 1f, -2f, 3f }, (a, b) => Math.Abs(a - b))];
        Assert.All(Moved(fast), d => Assert.InRange(d, 0.0299, 0.0301));
        Assert.All(Moved(slow), d => Assert.InRange(d, 0.00299, 0.00301));
    }
}
