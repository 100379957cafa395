using BenchmarkDotNet.Attributes;
using Lab07.H264Bitstream;

namespace Lab07.Benchmarks;

/// <summary>
/// A committed stream looped to ~100 MB: NAL splitting alone, splitting plus SPS/PPS/slice-header parsing,
/// and the whole analyser report — the work ffprobe -show_packets does on the same file (Program times it).
/// </summary>
[MemoryDiagnoser(false)]
public class ParseBenchmarks
{
    public const long Size = 100L << 20;

    private byte[] _stream = [];

    /// <summary>main-b: 320×240, B-frames, small NAL units (header-bound); 1080p: large slices (scan-bound).</summary>
    [Params("main-b", "1080p")]
    public string Name { get; set; } = "main-b";

    [GlobalSetup]
    public void Setup() => _stream = Corpus.LargeStream(Name, Size).Bytes;

    [Benchmark(Baseline = true)]
    public int Split() => AnnexB.Split(_stream).Count;

    [Benchmark]
    public int SplitAndParseHeaders()
    {
        var spss = new Dictionary<int, SequenceParameterSet>();
        var ppss = new Dictionary<int, PictureParameterSet>();
        int slices = 0;
        foreach (var unit in AnnexB.Split(_stream))
        {
            var nal = unit.Bytes.Span;
            switch (NalUnitHeader.Parse(nal[0]).Type)
            {
                case NalUnitType.Sps:
                    var sps = SequenceParameterSet.Parse(nal);
                    spss[sps.SeqParameterSetId] = sps;
                    break;
                case NalUnitType.Pps:
                    var pps = PictureParameterSet.Parse(nal, spss);
                    ppss[pps.PicParameterSetId] = pps;
                    break;
                case NalUnitType.Slice or NalUnitType.IdrSlice:
                    slices += SliceHeader.Parse(nal, spss, ppss).SliceQpDelta >= -100 ? 1 : 0;
                    break;
            }
        }

        return slices;
    }

    [Benchmark]
    public int Analyze() => StreamAnalyzer.Analyze(_stream).Pictures.Count;
}
