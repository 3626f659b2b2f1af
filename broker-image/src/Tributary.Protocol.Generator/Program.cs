namespace Tributary.Protocol.Generator;

public static class Program
{
    public static int Main(string[] args)
    {
        Console.Error.WriteLine("usage: Tributary.Protocol.Generator <kafka-protocol dir> <output dir>");
        return args.Length == 2 ? 0 : 2;
    }
}
