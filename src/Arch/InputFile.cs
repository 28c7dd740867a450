using System.Runtime.InteropServices;
using System.Text;

namespace Mantissa.Arch;

/// <summary>
/// Opens user-named input files safely: only regular files (never a device such as /dev/zero, a pipe or a
/// directory), never more than a size limit per file kind, and text must be UTF-8 without NUL bytes.
/// </summary>
public static class InputFile
{
    /// <summary>Largest architecture, sweep or precision-recipe YAML accepted (bundled ones are under 10 KiB).</summary>
    public const long MaxConfigBytes = 1 << 20;

    /// <summary>Largest workload YAML or Hugging Face config.json accepted.</summary>
    public const long MaxModelTextBytes = 4 << 20;

    /// <summary>Reads a text file of at most <paramref name="maxBytes"/>; <paramref name="what"/> names it in errors.</summary>
    /// <exception cref="MantissaException">the file is missing, not a regular file, too large, or not text.</exception>
    public static string ReadText(string path, string what, long maxBytes)
    {
        RequireRegular(path, what);
        byte[] bytes;
        try
        {
            using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int n;
            while ((n = fs.Read(chunk, 0, chunk.Length)) > 0)
            {
                if (buffer.Length + n > maxBytes)
                    throw new MantissaException($"{what} '{path}' is larger than the {Size(maxBytes)} limit for this kind of file");
                buffer.Write(chunk, 0, n);
            }
            bytes = buffer.ToArray();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MantissaException($"cannot read {what} '{path}': {e.Message}");
        }
        if (Array.IndexOf(bytes, (byte)0) >= 0)
            throw new MantissaException($"{what} '{path}' is not a text file (it contains NUL bytes)");
        try
        {
            return new UTF8Encoding(false, true).GetString(bytes).TrimStart('\uFEFF');
        }
        catch (DecoderFallbackException)
        {
            throw new MantissaException($"{what} '{path}' is not a text file (it is not valid UTF-8)");
        }
    }

    /// <summary>Throws unless <paramref name="path"/> names an existing regular file (symbolic links are followed).</summary>
    public static void RequireRegular(string path, string what)
    {
        if (Directory.Exists(path)) throw new MantissaException($"{what} '{path}' is a directory, not a file");
        if (!File.Exists(path)) throw new MantissaException($"{what} '{path}' not found");
        if (FileType(path) is { } type && type != RegularFile)
            throw new MantissaException($"{what} '{path}' is not a regular file (it is a {TypeName(type)}); give a path to a file on disk");
    }

    /// <summary>"1 MiB", "4 MiB", "100 MiB": a byte limit as users read it.</summary>
    public static string Size(long bytes) =>
        bytes >= 1 << 20 && bytes % (1 << 20) == 0 ? $"{bytes >> 20} MiB" : bytes >= 1024 && bytes % 1024 == 0 ? $"{bytes >> 10} KiB" : $"{bytes} bytes";

    private const int TypeMask = 0xF000, RegularFile = 0x8000;

    private static string TypeName(int type) => type switch
    {
        0x1000 => "pipe", 0x2000 => "character device", 0x6000 => "block device", 0xC000 => "socket", 0x4000 => "directory",
        _ => "special file",
    };

    /// <summary>The S_IFMT bits of stat(2), or null where they cannot be read (then only the size limit protects).</summary>
    /// <remarks>
    /// .NET exposes no file type beyond directory/file, and opening a pipe blocks; the runtime's own System.Native
    /// library (which .NET itself uses for File.Exists) returns a portable status whose second int is the mode.
    /// </remarks>
    private static int? FileType(string path)
    {
        if (OperatingSystem.IsWindows()) return null;
        try
        {
            var status = new byte[512];
            return SystemNativeStat(path, status) == 0 ? BitConverter.ToInt32(status, 4) & TypeMask : null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat")]
    private static extern int SystemNativeStat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte[] status);
}
