using Tributary.TestSupport;

// Usage: CaptureBatches <output directory>
// Starts librdkafka's mock cluster, has kcat produce the sample records with each codec and
// saves the batches exactly as the broker stored them.
if (args.Length != 1)
{
    Console.Error.WriteLine("usage: CaptureBatches <output directory>");
    return 2;
}

Directory.CreateDirectory(args[0]);
using var cluster = MockKafkaCluster.Start();
foreach (var codec in KcatCapture.Codecs)
{
    var batch = await KcatCapture.CaptureAsync(cluster, codec);
    var path = Path.Combine(args[0], KcatCapture.FileName(codec));
    await File.WriteAllBytesAsync(path, batch);
    Console.WriteLine($"{path}: {batch.Length} bytes");
}

return 0;
