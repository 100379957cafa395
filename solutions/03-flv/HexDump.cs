using System.Text;

namespace Lab03.Flv;

/// <summary>A byte range to highlight in a hexdump, with a label for the legend.</summary>
/// <param name="Start">The offset of the first byte (in the same offsets the dump prints).</param>
/// <param name="Length">How many bytes.</param>
/// <param name="Label">What the bytes are ("signature", "DataSize").</param>
public readonly record struct HexRange(long Start, int Length, string Label);

/// <summary>
/// The canonical hex+ASCII layout of <c>hexdump -C</c> (util-linux / BSD): an 8-digit hex offset, two
/// spaces, 16 bytes as two groups of eight, the printable ASCII between bars, identical lines squeezed
/// into one <c>*</c>, and a last line with the total length.
/// </summary>
public static class HexDump
{
    /// <summary>Bytes per line.</summary>
    public const int BytesPerLine = 16;

    /// <summary>
    /// The dump of <paramref name="data"/>, exactly as <c>hexdump -C</c> prints it (lines end in '\n').
    /// Bytes inside <paramref name="highlight"/> ranges are wrapped in ANSI reverse video (ESC[7m … ESC[0m),
    /// which a terminal shows and <c>hexdump -C</c> never prints; pass none for the plain layout.
    /// </summary>
    public static string Format(ReadOnlySpan<byte> data, long startOffset = 0, IReadOnlyList<HexRange>? highlight = null)
    {
        var text = new StringBuilder(data.Length * 4 + 80);
        #region lab M1: write each 16-byte line as "%08x  " + 8 × "xx " + " " + 8 × "xx " + " |ascii|", pad a short last line, squeeze repeats into "*", end with the total offset — README §HexDump
        ReadOnlySpan<byte> previous = default;
        bool squeezing = false;
        for (int lineStart = 0; lineStart < data.Length; lineStart += BytesPerLine)
        {
            var line = data.Slice(lineStart, Math.Min(BytesPerLine, data.Length - lineStart));

            // hexdump prints "*" once for a run of lines equal to the one before, and nothing else.
            if (lineStart > 0 && line.Length == BytesPerLine && line.SequenceEqual(previous))
            {
                if (!squeezing)
                {
                    text.Append("*\n");
                    squeezing = true;
                }

                continue;
            }

            squeezing = false;
            previous = line;
            long offset = startOffset + lineStart;
            text.Append(offset.ToString("x8", System.Globalization.CultureInfo.InvariantCulture)).Append("  ");
            for (int i = 0; i < BytesPerLine; i++)
            {
                if (i == 8)
                {
                    text.Append(' '); // the gap between the two groups of eight
                }

                if (i < line.Length)
                {
                    bool marked = IsHighlighted(highlight, offset + i);
                    if (marked)
                    {
                        text.Append("\u001b[7m");
                    }

                    text.Append(HexDigits[line[i] >> 4]).Append(HexDigits[line[i] & 0xF]);
                    if (marked)
                    {
                        text.Append("\u001b[0m");
                    }

                    text.Append(' ');
                }
                else
                {
                    text.Append("   ");
                }
            }

            text.Append(" |");
            foreach (byte b in line)
            {
                text.Append(b is >= 0x20 and <= 0x7E ? (char)b : '.'); // printable ASCII, '.' for the rest
            }

            text.Append("|\n");
        }

        if (data.Length > 0)
        {
            text.Append((startOffset + data.Length).ToString("x8", System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
        }
        #endregion

        return text.ToString();
    }

    private const string HexDigits = "0123456789abcdef";

    private static bool IsHighlighted(IReadOnlyList<HexRange>? ranges, long offset)
    {
        if (ranges is null)
        {
            return false;
        }

        foreach (var range in ranges)
        {
            if (offset >= range.Start && offset < range.Start + range.Length)
            {
                return true;
            }
        }

        return false;
    }
}
