using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Lab09.WebRtc.Tests;

/// <summary>
/// M4: DTLS-SRTP as the server (RFC 5764): the certificate fingerprint for the SDP (RFC 8122), use_srtp, and the SRTP keys
/// cut from the exporter — against a real DTLS client, OpenSSL's s_client, which prints the same 60 bytes.
/// </summary>
public partial class M4DtlsSrtpTests
{
    private const string Milestone = "M4 DTLS-SRTP";

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Fingerprint_is_sha_256_in_upper_case_hex_pairs()
    {
        // FIPS 180-2 Appendix B.1: SHA-256("abc") = ba7816bf 8f01cfea 414140de 5dae2223 b00361a3 96177a9c b410ff61 f20015ad.
        string fingerprint = DtlsCertificate.FormatFingerprint("abc"u8);
        Assert.True(fingerprint == "sha-256 BA:78:16:BF:8F:01:CF:EA:41:41:40:DE:5D:AE:22:23:B0:03:61:A3:96:17:7A:9C:B4:10:FF:61:F2:00:15:AD",
            $"the fingerprint of the bytes \"abc\" is \"sha-256 \" and SHA-256(\"abc\") as upper-case hex pairs joined by ':'; got \"{fingerprint}\". See README §Fingerprint (RFC 8122 §5).");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Keying_material_is_cut_client_key_server_key_client_salt_server_salt()
    {
        var material = Enumerable.Range(0, 60).Select(i => (byte)i).ToArray();
        var keys = SrtpKeyingMaterial.Split(material);
        HexDiff.AssertEqual(material.AsSpan(0, 16), keys.ClientKey, "client_write_SRTP_master_key: bytes 0-15", "README §Keying material (RFC 5764 §4.2)");
        HexDiff.AssertEqual(material.AsSpan(16, 16), keys.ServerKey, "server_write_SRTP_master_key: bytes 16-31", "README §Keying material (RFC 5764 §4.2)");
        HexDiff.AssertEqual(material.AsSpan(32, 14), keys.ClientSalt, "client_write_SRTP_master_salt: bytes 32-45", "README §Keying material (RFC 5764 §4.2)");
        HexDiff.AssertEqual(material.AsSpan(46, 14), keys.ServerSalt, "server_write_SRTP_master_salt: bytes 46-59", "README §Keying material (RFC 5764 §4.2)");
        var error = Record.Exception(() => SrtpKeyingMaterial.Split(material.AsSpan(0, 59)));
        Assert.True(error is ArgumentException, $"59 bytes are not DTLS-SRTP keying material for AES_CM_128: expected ArgumentException, got {error?.GetType().Name ?? "nothing"}.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Profile_selection_takes_AES128_CM_HMAC_SHA1_80_only()
    {
        Assert.True(DtlsSrtpServer.SelectProfile([0x0007, 0x0008, 0x0001, 0x0002]) == 0x0001,
            "Chromium offers 0x0007, 0x0008 (AEAD_AES_*_GCM), 0x0001, 0x0002: the answer is 0x0001, the one profile SrtpContext speaks. See README §use_srtp.");
        Assert.True(DtlsSrtpServer.SelectProfile([0x0002]) is null, "a client offering only 0x0002 (SRTP_AES128_CM_HMAC_SHA1_32) gets no profile. See README §use_srtp.");
        Assert.True(DtlsSrtpServer.SelectProfile([]) is null, "an empty list gets no profile.");
    }

    [Fact(Timeout = 120_000)]
    [Trait("Milestone", Milestone)]
    public async Task Openssl_s_client_agrees_the_same_keys_and_sees_the_fingerprint()
    {
        var ct = TestContext.Current.CancellationToken;
        string openssl = RealTools.Require("openssl");
        using var folder = new TempFolder();
        string clientKey = Path.Combine(folder.Path, "client.key"), clientCert = Path.Combine(folder.Path, "client.pem");
        var made = await ToolRun.RunAsync(openssl, ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", clientKey, "-out", clientCert, "-days", "2", "-subj", "/CN=browser"], TimeSpan.FromSeconds(30), ct);
        Assert.True(made.ExitCode == 0, $"openssl req failed:\n{made.ErrorTail()}");

        var certificate = DtlsCertificate.CreateSelfSigned();
        var server = new DtlsSrtpServer(certificate) { HandshakeTimeout = TimeSpan.FromSeconds(30) };
        using var socket = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        int port = ((IPEndPoint)socket.Client.LocalEndPoint!).Port;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(TimeSpan.FromSeconds(60));
        var accepting = server.AcceptAsync(socket, limit.Token);

        var client = await ToolRun.RunAsync(openssl, ["s_client", "-dtls1_2", "-connect", $"127.0.0.1:{port}", "-use_srtp", "SRTP_AES128_CM_SHA1_80",
            "-keymatexport", "EXTRACTOR-dtls_srtp", "-keymatexportlen", "60", "-cert", clientCert, "-key", clientKey, "-showcerts"], TimeSpan.FromSeconds(60), ct);
        string output = client.StandardOutput;
        var result = await Deadline.Within(accepting, TimeSpan.FromSeconds(30), "the DTLS handshake with openssl s_client");

        Assert.True(output.Contains("SRTP Extension negotiated, profile=SRTP_AES128_CM_SHA1_80", StringComparison.Ordinal),
            $"openssl did not negotiate SRTP_AES128_CM_SHA1_80 (the server's use_srtp must answer 0x0001):\n{Tail(output)}\n{client.ErrorTail()}");
        var match = KeyingMaterial().Match(output);
        Assert.True(match.Success, $"openssl printed no keying material:\n{Tail(output)}");
        var opensslMaterial = Convert.FromHexString(match.Groups[1].Value);
        HexDiff.AssertEqual(opensslMaterial, result.KeyingMaterial, "the 60 bytes of EXTRACTOR-dtls_srtp: openssl's against the server's", "README §Keying material");
        HexDiff.AssertEqual(opensslMaterial.AsSpan(0, 16), result.Keys.ClientKey, "the client write key from openssl's keying material", "README §Keying material");
        HexDiff.AssertEqual(opensslMaterial.AsSpan(46, 14), result.Keys.ServerSalt, "the server write salt from openssl's keying material", "README §Keying material");
        Assert.True(result.Profile == 0x0001, $"Profile: expected 0x0001, got 0x{result.Profile:x4}.");

        // The certificate openssl saw, hashed by openssl, written as RFC 8122 writes it.
        var pem = Pem().Match(output);
        Assert.True(pem.Success, "openssl -showcerts printed no certificate.");
        string serverPem = Path.Combine(folder.Path, "server.pem");
        await File.WriteAllTextAsync(serverPem, pem.Value, ct);
        string seenByOpenssl = await OpensslFingerprintAsync(openssl, serverPem, ct);
        Assert.True(certificate.Fingerprint == seenByOpenssl,
            $"the fingerprint of the certificate openssl received is \"{seenByOpenssl}\" (openssl x509 -fingerprint -sha256); DtlsCertificate.Fingerprint says \"{certificate.Fingerprint}\". See README §Fingerprint.");
        string clientByOpenssl = await OpensslFingerprintAsync(openssl, clientCert, ct);
        Assert.True(result.ClientFingerprint == clientByOpenssl,
            $"the client's certificate has fingerprint \"{clientByOpenssl}\" (openssl x509); the server recorded \"{result.ClientFingerprint}\". See README §Fingerprint.");
    }

    [Fact(Timeout = 120_000)]
    [Trait("Milestone", Milestone)]
    public async Task A_client_without_a_common_profile_fails_the_handshake()
    {
        var ct = TestContext.Current.CancellationToken;
        string openssl = RealTools.Require("openssl");
        var server = new DtlsSrtpServer(DtlsCertificate.CreateSelfSigned()) { HandshakeTimeout = TimeSpan.FromSeconds(30) };
        using var socket = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        int port = ((IPEndPoint)socket.Client.LocalEndPoint!).Port;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(TimeSpan.FromSeconds(60));
        var accepting = server.AcceptAsync(socket, limit.Token);
        var client = await ToolRun.RunAsync(openssl, ["s_client", "-dtls1_2", "-connect", $"127.0.0.1:{port}", "-use_srtp", "SRTP_AES128_CM_SHA1_32"],
            TimeSpan.FromSeconds(60), ct);
        var error = await Record.ExceptionAsync(() => Deadline.Within(accepting, TimeSpan.FromSeconds(30), "the refused DTLS handshake"));
        Assert.True(error is WebRtcException { Protocol: "DTLS", Field: "use_srtp" },
            $"a client that offers only SRTP_AES128_CM_SHA1_32 must fail the handshake with WebRtcException(\"DTLS\", \"use_srtp\"); got {error?.GetType().Name}: {error?.Message}. See README §use_srtp.");
        Assert.False(client.StandardOutput.Contains("SRTP Extension negotiated", StringComparison.Ordinal), "openssl must not see SRTP negotiated.");
    }

    private static async Task<string> OpensslFingerprintAsync(string openssl, string pemFile, CancellationToken ct)
    {
        var run = await ToolRun.RunAsync(openssl, ["x509", "-in", pemFile, "-noout", "-fingerprint", "-sha256"], TimeSpan.FromSeconds(30), ct);
        var m = OpensslFingerprint().Match(run.StandardOutput);
        Assert.True(m.Success, $"openssl x509 -fingerprint printed: {run.StandardOutput} {run.ErrorTail()}");
        return "sha-256 " + m.Groups[1].Value.ToUpperInvariant();
    }

    private static string Tail(string text) => string.Join('\n', text.Split('\n').TakeLast(25));

    [GeneratedRegex(@"Keying material: ([0-9A-Fa-f]{120})")]
    private static partial Regex KeyingMaterial();

    [GeneratedRegex(@"-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----")]
    private static partial Regex Pem();

    [GeneratedRegex(@"(?i)sha256 Fingerprint=([0-9A-F:]+)")]
    private static partial Regex OpensslFingerprint();

    private sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("lab09-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
