using Lab02.RtmpChunks;

namespace Lab04.LiveServer.Tests;

/// <summary>M3: the <see cref="GopCache"/> on its own, fed tags directly, against README §GOP cache.</summary>
public class M3GopCacheUnitTests
{
    private const string Milestone = "M3 GOP cache";

    // FLV §E.4.3.1: 0x17 keyframe, 0x27 inter frame (AVC); AVCPacketType 0 sequence header, 1 NALU. §E.4.2.1: 0xAF AAC.
    private static LiveTag Tag(byte type, byte first, byte second, int size) =>
        LiveTag.FromMessage(new RtmpMessage(type, 0, 1, (byte[])[first, second, .. new byte[size - 2]]));
    private static LiveTag Key(int size = 10) => Tag(9, 0x17, 1, size);
    private static LiveTag Inter(int size = 10) => Tag(9, 0x27, 1, size);
    private static LiveTag Audio(int size = 10) => Tag(8, 0xAF, 1, size);

    private static void Holds(GopCache gop, int tags, long bytes, string why) =>
        Assert.True(gop.Tags.Count == tags && gop.Bytes == bytes,
            $"{why}: the cache must hold {tags} tags, {bytes} bytes; yours holds {gop.Tags.Count}, {gop.Bytes}. See README §GOP cache.");

    [Fact]
    [Trait("Milestone", Milestone)]
    public void The_cache_starts_at_a_keyframe_and_holds_a_gop_up_to_its_bounds_and_no_further()
    {
        var gop = new GopCache(maxTags: 3, maxBytes: 1000);
        gop.Add(Inter());
        gop.Add(Audio());
        Holds(gop, 0, 0, "frames before the first keyframe cannot start a decoder");
        gop.Add(Tag(9, 0x17, 0, 10));
        gop.Add(Tag(8, 0xAF, 0, 4));
        Holds(gop, 0, 0, "sequence headers are not cached (the channel keeps them)");
        var key = Key();
        gop.Add(key);
        gop.Add(Audio());
        gop.Add(Tag(9, 0x17, 0, 10));
        gop.Add(Tag(8, 0xAF, 0, 4));
        gop.Add(Inter());
        Holds(gop, 3, 30, "a keyframe and the frames after it (sequence headers among them are not cached), up to GopCacheMaxTags = 3");
        Assert.Same(key, gop.Tags[0]);
        gop.Add(Inter());
        Holds(gop, 0, 0, "a GOP longer than GopCacheMaxTags is not cached at all");
        gop.Add(Inter());
        Holds(gop, 0, 0, "after that, nothing is cached until the next keyframe");
        gop.Add(Key());
        gop.Add(Key());
        Holds(gop, 1, 10, "a keyframe starts a new GOP: the old one is forgotten");

        var bytes = new GopCache(maxTags: 100, maxBytes: 25);
        bytes.Add(Key());
        bytes.Add(Inter(size: 15));
        Holds(bytes, 2, 25, "10 + 15 bytes fit GopCacheMaxBytes = 25 exactly");
        bytes.Add(Audio(size: 2));
        Holds(bytes, 0, 0, "2 more bytes would pass GopCacheMaxBytes = 25: the GOP is not cached");
        bytes.Add(Key(size: 30));
        Holds(bytes, 0, 0, "a keyframe bigger than GopCacheMaxBytes is not cached either");
    }
}
