using Mantissa.Arch;

namespace Mantissa.Explorer.Commands.Arith;

/// <summary>Parses and prints codes as lower-case hexadecimal, zero-padded to the format's width, without 0x.</summary>
internal static class HexCode
{
    public static int Digits(int bits) => (bits + 3) / 4;

    public static bool TryParse(ReadOnlySpan<char> s, int bits, out ulong code, out string error)
    {
        code = 0; error = "";
        if (s.StartsWith("0x") || s.StartsWith("0X")) s = s[2..];
        if (s.IsEmpty) { error = "empty code"; return false; }
        foreach (char ch in s)
        {
            if (ch == '_') continue;
            int d = ch switch
            {
                >= '0' and <= '9' => ch - '0',
                >= 'a' and <= 'f' => ch - 'a' + 10,
                >= 'A' and <= 'F' => ch - 'A' + 10,
                _ => -1,
            };
            if (d < 0) { error = $"'{s}' is not a hexadecimal code"; return false; }
            if ((code >> 60) != 0) { error = $"code '{s}' is too long"; return false; }
            code = (code << 4) | (uint)d;
        }
        if (bits < 64 && (code >> bits) != 0) { error = $"code {s} does not fit in {bits} bits"; return false; }
        return true;
    }

    public static ulong Parse(string s, int bits, string formatName)
    {
        if (TryParse(s, bits, out var code, out var error))
            return code;
        throw new MantissaException($"{error} (format {formatName})");
    }

    /// <summary>Writes <paramref name="code"/> into <paramref name="dest"/> and returns the number of characters.</summary>
    public static int Format(ulong code, int bits, Span<char> dest)
    {
        int n = Digits(bits);
        for (int i = n - 1; i >= 0; i--)
        {
            int d = (int)(code & 0xF);
            dest[i] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
            code >>= 4;
        }
        return n;
    }

    public static string Format(ulong code, int bits)
    {
        Span<char> buf = stackalloc char[16];
        return new string(buf[..Format(code, bits, buf)]);
    }

    public static string Binary(ulong code, int bits) => Convert.ToString((long)code, 2).PadLeft(bits, '0');
}
