namespace Lab07.H264Bitstream;

/// <summary>slice_type modulo 5 (Table 7-6). Values 5–9 mean the same types, with the promise that every slice of the picture has that type.</summary>
public enum SliceType
{
    /// <summary>0/5: P, predicted from one list of earlier-decoded pictures.</summary>
    P = 0,
    /// <summary>1/6: B, bi-predicted from two lists.</summary>
    B = 1,
    /// <summary>2/7: I, intra only.</summary>
    I = 2,
    /// <summary>3/8: SP, switching P (Extended profile).</summary>
    SP = 3,
    /// <summary>4/9: SI, switching I (Extended profile).</summary>
    SI = 4,
}
