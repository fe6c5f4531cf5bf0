Console.WriteLine("learnact");
