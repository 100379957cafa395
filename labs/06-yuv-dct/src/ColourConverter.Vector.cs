using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Lab06.YuvDct;

/// <summary>
/// Optional, the last step of M6's fast colour: <see cref="RgbToI420Fast"/>'s inner loop on vectors, the same fixed-point arithmetic, 16 pixels of each
/// of two rows (8 chroma samples) at a time. rgb24 is interleaved — R G B R G B … — so each 48 bytes are
/// first split into an R, a G and a B vector with byte shuffles, in the order even pixels then odd pixels:
/// then an even vector plus an odd vector is the horizontal half of every 2×2 sum, with no shuffling at all.
/// The lumas come out in that order too and one more shuffle puts them back in place.
/// </summary>
public static partial class ColourConverter
{
}
