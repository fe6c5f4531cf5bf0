Console.WriteLine("learnact-silo");
