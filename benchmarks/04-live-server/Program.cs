using System.Globalization;
using Lab04.Benchmarks;

// Lab 04's benchmark (from the repository root):
//   dotnet run -c Release --project benchmarks/04-live-server -- vs-nms [--subscribers 10,100,500] [--runs 3] [--seconds 10] [--late 5] [--nms DIR]
//     the reference LiveServer beside node-media-server v4 (VsNms.cs, labs/04-live-server/README.md §Performance)
// "serve RTMP_PORT HTTP_PORT" is the child process vs-nms starts to run the reference server on its own.
return args switch
{
    ["vs-nms", .. var rest] => await VsNms.RunAsync(rest),
    ["serve", var rtmp, var http] => await VsNms.ServeAsync(int.Parse(rtmp, CultureInfo.InvariantCulture), int.Parse(http, CultureInfo.InvariantCulture)),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: vs-nms [--subscribers 10,100,500] [--runs 3] [--seconds 10] [--late 5] [--nms DIR] | serve RTMP_PORT HTTP_PORT");
    return 1;
}
