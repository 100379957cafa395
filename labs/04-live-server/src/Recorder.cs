using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Channels;
using Lab03.Flv;

namespace Lab04.LiveServer;

/// <summary>One recording of a stream (录制) on disk, as the server lists it (README §Recording).</summary>
/// <param name="Key">The stream key, "app/name".</param>
/// <param name="Url">Where the server serves it: <c>/recordings/app/name/FILE.flv</c>.</param>
/// <param name="Size">Its length in bytes now.</param>
/// <param name="Writing">True while its publish session goes on (the file still grows).</param>
public sealed record RecordingInfo(string Key, string Url, long Size, bool Writing);

/// <summary>
/// Records one publish session of a stream to an FLV file (录制, README §Recording): the FLV header, then
/// every tag the publisher sends — onMetaData, sequence headers, frames — with the publisher's own
/// timestamps, exactly the bytes of <see cref="LiveTag.Bytes"/>. <see cref="Write"/> never waits: tags go
/// to a bounded queue and a task of the recorder's own writes them, so a slow disk never slows the publisher.
/// </summary>
/// <remarks>
/// Files live in <c>RecordFolder/app/name/</c>, one folder per stream key, so no stream ever writes into
/// another's folder; each publish session gets a new file named by its start time (UTC), created with
/// <see cref="FileMode.CreateNew"/> so that no file is ever overwritten.
/// </remarks>
public sealed class Recorder
{
    /// <summary>The recorders writing now, by full path.</summary>
    private static readonly ConcurrentDictionary<string, Recorder> Active = new(StringComparer.Ordinal);

    private readonly Channel<LiveTag> _queue;
    private readonly FileStream _file;
    private long _droppedTags;
    private long _writtenTags;

    private Recorder(string key, string path, FileStream file, int queueTags)
    {
        Key = key;
        FilePath = path;
        _file = file;
        _queue = Channel.CreateBounded<LiveTag>(
            new BoundedChannelOptions(queueTags) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true },
            _ => Interlocked.Increment(ref _droppedTags));
        Completion = WriteAllAsync();
    }

    /// <summary>The stream key, "app/name".</summary>
    public string Key { get; }

    /// <summary>The file's full path.</summary>
    public string FilePath { get; }

    /// <summary>Tags written to the file so far.</summary>
    public long WrittenTags => Interlocked.Read(ref _writtenTags);

    /// <summary>Tags lost because the disk was slower than the stream (the queue was full).</summary>
    public long DroppedTags => Interlocked.Read(ref _droppedTags);

    /// <summary>Done when the file is complete and closed (after <see cref="Complete"/>).</summary>
    public Task Completion { get; }

    /// <summary>
    /// The file of a publish session of <paramref name="key"/> that started at <paramref name="startedUtc"/>,
    /// relative to the record folder: <c>app/name/yyyyMMdd-HHmmss-fff.flv</c> (with <see cref="Path.DirectorySeparatorChar"/>).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="key"/> is not a key <see cref="StreamKey.TryParse"/> accepts: it could name a file outside its folder.</exception>
    public static string RelativePath(string key, DateTime startedUtc)
    {
        throw new NotImplementedException("Lab 04 · M6: only a key StreamKey.TryParse accepts (else ArgumentException); app and name become two folders; the file is the start time, yyyyMMdd-HHmmss-fff, invariant culture, + \".flv\" — README §Recording");
    }

    /// <summary>
    /// Starts recording <paramref name="key"/> in <paramref name="folder"/>: creates the stream's folder and a
    /// new file (never one that exists: a second session in the same millisecond gets "-1", "-2", … before ".flv").
    /// </summary>
    public static Recorder Start(string folder, string key, DateTime startedUtc, int queueTags)
    {
        ArgumentNullException.ThrowIfNull(folder);
        string relative = RelativePath(key, startedUtc);
        string root = Path.GetFullPath(folder);
        string path = Path.GetFullPath(Path.Combine(root, relative));
        if (!path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The recording of {key} would be outside {root}.", nameof(key));
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        for (int attempt = 0; ; attempt++)
        {
            string candidate = attempt == 0 ? path : path[..^".flv".Length] + "-" + attempt.ToString(CultureInfo.InvariantCulture) + ".flv";
            try
            {
                var file = new FileStream(candidate, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 64 * 1024, useAsync: true);
                var recorder = new Recorder(key, candidate, file, queueTags);
                Active[candidate] = recorder;
                return recorder;
            }
            catch (IOException) when (File.Exists(candidate) && attempt < 100)
            {
                // that session's file exists: never overwrite it
            }
        }
    }

    /// <summary>Queues a tag for the file; never waits (a full queue drops the tag and counts it).</summary>
    public void Write(LiveTag tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        _queue.Writer.TryWrite(tag);
    }

    /// <summary>The publish session ended: the file gets what is queued and is closed.</summary>
    public void Complete() => _queue.Writer.TryComplete();

    private async Task WriteAllAsync()
    {
        try
        {
            await using (_file.ConfigureAwait(false))
            {
                await WriteFileAsync(_queue.Reader, _file).ConfigureAwait(false);
            }
        }
        finally
        {
            Active.TryRemove(FilePath, out _);
        }
    }

    /// <summary>
    /// Writes the FLV file: the FLV header (§E.2, its flags say which tracks the stream has) and PreviousTagSize0,
    /// then each tag's <see cref="LiveTag.Bytes"/> as they come. The header goes first but its flags are
    /// known only at the first frame: the tags before it (onMetaData, sequence headers) wait.
    /// </summary>
    private async Task WriteFileAsync(ChannelReader<LiveTag> tags, Stream file)
    {
        throw new NotImplementedException("Lab 04 · M6: keep tags until the first audio/video frame (or the end); then write FlvHeader.Create(audio seen, video seen) and PreviousTagSize0 = 0, then every tag's Bytes in order, counting _writtenTags — README §Recording");
    }

    /// <summary>Waits until every recorder writing into <paramref name="folder"/> has closed its file.</summary>
    public static Task WhenAllCompleteAsync(string folder)
    {
        string root = Path.GetFullPath(folder) + Path.DirectorySeparatorChar;
        return Task.WhenAll(Active.Where(a => a.Key.StartsWith(root, StringComparison.Ordinal)).Select(a => a.Value.Completion));
    }

    /// <summary>The recordings in <paramref name="folder"/> (<c>app/name/*.flv</c>), newest first.</summary>
    public static IReadOnlyList<RecordingInfo> List(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var root = new DirectoryInfo(folder);
        if (!root.Exists)
        {
            return [];
        }

        var list = new List<(DateTime Time, RecordingInfo Info)>();
        foreach (var app in root.EnumerateDirectories())
        {
            foreach (var name in app.EnumerateDirectories())
            {
                if (!StreamKey.TryParse(app.Name + "/" + name.Name, out string key))
                {
                    continue;
                }

                foreach (var file in name.EnumerateFiles("*.flv"))
                {
                    list.Add((file.LastWriteTimeUtc, new RecordingInfo(key, $"/recordings/{key}/{file.Name}", file.Length, Active.ContainsKey(file.FullName))));
                }
            }
        }

        return [.. list.OrderByDescending(r => r.Time).ThenBy(r => r.Info.Url, StringComparer.Ordinal).Select(r => r.Info)];
    }

    /// <summary>
    /// The file a request path <c>/recordings/app/name/FILE.flv</c> names in <paramref name="folder"/>, or null when
    /// the path is anything else: only a valid key and a file name of the key's characters ending ".flv" get
    /// through, so no request reaches a file outside the record folder (README §Recording).
    /// </summary>
    public static string? Resolve(string folder, string requestPath)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(requestPath);
        var parts = requestPath.Split('/');
        if (parts.Length != 5 || parts[0].Length != 0 || parts[1] != "recordings"
            || !StreamKey.TryParse(parts[2] + "/" + parts[3], out _)
            || !parts[4].EndsWith(".flv", StringComparison.Ordinal) || !StreamKey.TryParse("x/" + parts[4], out _))
        {
            return null;
        }

        string root = Path.GetFullPath(folder);
        string path = Path.GetFullPath(Path.Combine(root, parts[2], parts[3], parts[4]));
        return path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) && File.Exists(path) ? path : null;
    }
}
