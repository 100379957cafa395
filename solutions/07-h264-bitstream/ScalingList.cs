namespace Lab07.H264Bitstream;

/// <summary>
/// One scaling list (§7.3.2.1.1.1): 16 (4×4) or 64 (8×8) weights in zig-zag scan order, sent as
/// se(v) deltas. A list whose first delta makes nextScale 0 means "use the default list" (Table 7-3/7-4).
/// </summary>
/// <param name="Values">The weights in scan order (empty when <paramref name="UseDefault"/>).</param>
/// <param name="DeltaScales">The delta_scale values as they were in the stream, for comparison with trace_headers.</param>
/// <param name="UseDefault">useDefaultScalingMatrixFlag.</param>
public sealed record ScalingList(IReadOnlyList<int> Values, IReadOnlyList<int> DeltaScales, bool UseDefault)
{
    /// <summary>Reads scaling_list(size): size is 16 or 64.</summary>
    /// <exception cref="H264FormatException">A delta_scale outside −128..127 (§7.4.2.1.1), or the data ends.</exception>
    public static ScalingList Read(ref RbspReader reader, int size)
    {
        #region lab M3: lastScale = nextScale = 8; for each j, while nextScale != 0 read delta_scale se(v) (−128..127), nextScale = (lastScale + delta + 256) % 256; j == 0 and nextScale == 0 means UseDefault; the value is nextScale, or lastScale once nextScale is 0 — README §SPS
        var values = new int[size];
        var deltas = new List<int>();
        int lastScale = 8, nextScale = 8; // §7.3.2.1.1.1
        bool useDefault = false;
        for (int j = 0; j < size; j++)
        {
            if (nextScale != 0)
            {
                long at = reader.BitPosition;
                int delta = reader.ReadSe("delta_scale");
                if (delta is < -128 or > 127)
                {
                    throw reader.Error($"delta_scale {delta} is outside −128..127 (§7.4.2.1.1.1)", "delta_scale", at);
                }

                deltas.Add(delta);
                nextScale = (lastScale + delta + 256) % 256;
                useDefault = j == 0 && nextScale == 0;
            }

            values[j] = nextScale == 0 ? lastScale : nextScale;
            lastScale = values[j];
        }

        return new ScalingList(useDefault ? [] : values, deltas, useDefault);
        #endregion
    }
}
