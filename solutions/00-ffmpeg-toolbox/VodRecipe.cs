namespace Lab00.FfmpegToolbox;

/// <summary>
/// Video on demand: quality first. Constant rate factor (CRF, 恒定质量因子) lets the bit rate follow the picture's
/// complexity; the preset trades encode time for compression (README §Recipes).
/// </summary>
/// <param name="Crf">libx264's CRF, 0 (lossless) to 51; 18 looks transparent, 23 is x264's default, +6 ≈ half the size.</param>
/// <param name="Preset">libx264's preset: ultrafast, superfast, veryfast, faster, fast, medium, slow, slower, veryslow.</param>
/// <param name="AudioKbps">AAC bit rate for the audio stream, when the input has one.</param>
public sealed record VodRecipe(int Crf = 23, string Preset = "medium", int AudioKbps = 128);
