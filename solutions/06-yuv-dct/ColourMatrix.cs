namespace Lab06.YuvDct;

/// <summary>
/// The luma weights of a colour standard: Y' = Kr·R' + Kg·G' + Kb·B' with Kg = 1 − Kr − Kb.
/// BT.601 (SD) and BT.709 (HD) differ only in these two numbers, yet a decoder that uses the wrong
/// one shifts every colour a little — reds and greens most.
/// </summary>
/// <param name="Name">"BT.601" or "BT.709".</param>
/// <param name="Kr">The red weight.</param>
/// <param name="Kb">The blue weight.</param>
public sealed record ColourMatrix(string Name, double Kr, double Kb)
{
    /// <summary>ITU-R BT.601-7 §2.5.1 (and SMPTE 170M): Kr = 0.299, Kb = 0.114 — ffmpeg's <c>bt601</c> (= <c>smpte170m</c>).</summary>
    public static readonly ColourMatrix Bt601 = new("BT.601", 0.299, 0.114);

    /// <summary>ITU-R BT.709-6 Table 3 item 3.2: Kr = 0.2126, Kb = 0.0722 — ffmpeg's <c>bt709</c>.</summary>
    public static readonly ColourMatrix Bt709 = new("BT.709", 0.2126, 0.0722);

    /// <summary>The green weight, 1 − Kr − Kb.</summary>
    public double Kg => 1 - Kr - Kb;
}

/// <summary>Which codes 8-bit Y'CbCr uses.</summary>
public enum ColourRange
{
    /// <summary>"Limited", "TV" or "MPEG" range (ffmpeg <c>tv</c>): Y' 16–235, Cb/Cr 16–240 with 128 for no colour (BT.601 §2.5.3, BT.709 Table 3 item 3.5).</summary>
    Limited,

    /// <summary>"Full", "PC" or "JPEG" range (ffmpeg <c>pc</c>): all of 0–255 for Y', Cb/Cr centred on 128 (JFIF).</summary>
    Full,
}
