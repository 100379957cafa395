using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Security;

namespace Lab09.WebRtc;

/// <summary>
/// The SFU's DTLS certificate: self-signed, ECDSA P-256, as WebRTC endpoints use. Nobody checks it against a
/// certificate authority; the browser checks its hash against the <c>a=fingerprint</c> line of the SDP (RFC 8122,
/// RFC 5763 §5), which came over the signalling channel.
/// </summary>
public sealed class DtlsCertificate
{
    private DtlsCertificate(byte[] der, AsymmetricKeyParameter privateKey)
    {
        Der = der;
        PrivateKey = privateKey;
    }

    /// <summary>The certificate, DER-encoded (what travels in the DTLS Certificate message).</summary>
    public byte[] Der { get; }

    /// <summary>The private key, for BouncyCastle's signer.</summary>
    internal AsymmetricKeyParameter PrivateKey { get; }

    /// <summary>The SDP fingerprint of this certificate, e.g. <c>sha-256 4A:AD:…</c> (README §Fingerprint).</summary>
    public string Fingerprint => FormatFingerprint(Der);

    /// <summary>A fresh self-signed ECDSA P-256 / SHA-256 certificate, valid from a day ago for 30 days.</summary>
    public static DtlsCertificate CreateSelfSigned(string commonName = "workbook-lab09")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return new DtlsCertificate(certificate.RawData, PrivateKeyFactory.CreateKey(key.ExportPkcs8PrivateKey()));
    }

    /// <summary>
    /// The <c>a=fingerprint</c> value of a DER certificate (RFC 8122 §5): <c>sha-256</c>, a space, then the SHA-256 of the
    /// DER bytes as upper-case hex pairs joined by colons.
    /// </summary>
    public static string FormatFingerprint(ReadOnlySpan<byte> der)
    {
        #region lab M4: "sha-256 " followed by SHA256.HashData(der) as 32 upper-case hex pairs separated by ':' — README §Fingerprint
        var hash = SHA256.HashData(der);
        return "sha-256 " + string.Join(':', hash.Select(b => b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));
        #endregion
    }
}
