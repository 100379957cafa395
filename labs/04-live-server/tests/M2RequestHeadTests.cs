using System.Text;

namespace Lab04.LiveServer.Tests;

/// <summary>M2: the request head (RFC 9112 §3, §5) read as the README's §Bad requests says, bad input included.</summary>
public class M2RequestHeadTests
{
    private const string Milestone = "M2 HTTP-FLV fan-out";

    [Fact]
    [Trait("Milestone", Milestone)]
    public void A_request_head_gives_the_method_target_version_and_header_fields()
    {
        var head = HttpRequestHead.Parse("GET /live/test.flv?sign=1-ab HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nuser-agent:  mpegts.js \r\nOrigin: http://example.org"u8);
        Assert.True(head.Method == "GET" && head.Target == "/live/test.flv?sign=1-ab" && head.Version == "HTTP/1.1",
            $"The request line is METHOD TARGET VERSION; yours gives {head.Method} {head.Target} {head.Version}. See README §Bad requests.");
        Assert.True(head.Path == "/live/test.flv" && head.Query == "sign=1-ab", $"Path and query: {head.Path} and {head.Query}.");
        Assert.True(head.Headers.GetValueOrDefault("USER-AGENT") == "mpegts.js" && head.Headers.GetValueOrDefault("origin") == "http://example.org" && head.Headers.GetValueOrDefault("Host") == "127.0.0.1:8080",
            $"Field names are case-insensitive and values trimmed (RFC 9112 §5): got {string.Join(", ", head.Headers.Select(h => $"{h.Key}=\"{h.Value}\""))}. See README §Bad requests.");
    }

    [Theory]
    [InlineData("GET /live/test.flv", "request line", 0)]
    [InlineData("GET live/test.flv HTTP/1.1", "request line", 0)]
    [InlineData("GET /live/test.flv HTTP/2.0", "request line", 0)]
    [InlineData(" /x HTTP/1.1", "request line", 0)]
    [InlineData("GET  /x HTTP/1.1", "request line", 0)]
    [InlineData("", "request line", 0)]
    [InlineData("GET /x HTTP/1.1\r\nHost: a\r\nno colon here", "header field", 26)]
    [InlineData("GET /x HTTP/1.1\r\n: empty name", "header field", 17)]
    [Trait("Milestone", Milestone)]
    public void A_bad_request_head_throws_LiveServerException_with_the_part_and_the_offset_of_the_wrong_line(string head, string part, long offset)
    {
        var e = Assert.Throws<LiveServerException>(() => HttpRequestHead.Parse(Encoding.Latin1.GetBytes(head)));
        Assert.True(e.Part == part && e.Offset == offset,
            $"\"{head.Replace("\r\n", "\\r\\n", StringComparison.Ordinal)}\": expected Part \"{part}\" at Offset {offset} (where the wrong line starts); got \"{e.Part}\" at {e.Offset}. See README §Bad requests.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Fuzzed_request_heads_give_a_head_or_a_LiveServerException_and_nothing_else()
    {
        var random = new Random(4);
        var valid = Encoding.Latin1.GetBytes("GET /live/test.flv HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nAccept: */*");
        for (int round = 0; round < 2000; round++)
        {
            var bytes = valid[..random.Next(valid.Length + 1)];
            for (int flips = random.Next(4); flips > 0 && bytes.Length > 0; flips--)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }

            try
            {
                HttpRequestHead.Parse(bytes);
            }
            catch (LiveServerException)
            {
                // refused, as it should be
            }
            catch (Exception e)
            {
                Assert.Fail($"Round {round}: \"{Encoding.Latin1.GetString(bytes)}\" made Parse throw {e.GetType().Name} ({e.Message}); bad input gets LiveServerException only. See README §Bad requests.");
            }
        }
    }
}
