Console.WriteLine(LearnedActivation.Model.Probe.Run());
