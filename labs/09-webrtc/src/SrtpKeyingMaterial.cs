namespace Lab09.WebRtc;

/// <summary>
/// The SRTP master keys and salts of both directions, cut out of the 60 bytes the DTLS exporter gives for
/// "EXTRACTOR-dtls_srtp" (RFC 5764 §4.2, RFC 5705).
/// </summary>
/// <param name="ClientKey">client_write_SRTP_master_key: protects what the DTLS client (the browser) sends.</param>
/// <param name="ServerKey">server_write_SRTP_master_key: protects what the DTLS server (the SFU) sends.</param>
/// <param name="ClientSalt">client_write_SRTP_master_salt.</param>
/// <param name="ServerSalt">server_write_SRTP_master_salt.</param>
public sealed record SrtpKeyingMaterial(byte[] ClientKey, byte[] ServerKey, byte[] ClientSalt, byte[] ServerSalt)
{
    /// <summary>The exporter label of DTLS-SRTP (RFC 5764 §4.2).</summary>
    public const string ExporterLabel = "EXTRACTOR-dtls_srtp";

    /// <summary>The bytes to export for SRTP_AES128_CM_HMAC_SHA1_80: 2 × 16 (keys) + 2 × 14 (salts).</summary>
    public const int Length = (2 * SrtpContext.MasterKeyLength) + (2 * SrtpContext.MasterSaltLength);

    /// <summary>
    /// Cuts the exported bytes in the order of RFC 5764 §4.2: client key, server key, client salt, server salt
    /// (README §Keying material).
    /// </summary>
    public static SrtpKeyingMaterial Split(ReadOnlySpan<byte> material)
    {
        throw new NotImplementedException("Lab 09 · M4: exactly 60 bytes (else ArgumentException); 16 client key, 16 server key, 14 client salt, 14 server salt, in that order — README §Keying material");
    }

    /// <summary>The context the DTLS server (the SFU) protects its packets with: the server write key and salt.</summary>
    public SrtpContext ServerSender() => new(ServerKey, ServerSalt);

    /// <summary>The context the DTLS server unprotects the client's packets with: the client write key and salt.</summary>
    public SrtpContext ClientSender() => new(ClientKey, ClientSalt);
}
