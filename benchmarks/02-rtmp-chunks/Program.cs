using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Lab02.Benchmarks.ChunkBenchmarks).Assembly).Run(args);
