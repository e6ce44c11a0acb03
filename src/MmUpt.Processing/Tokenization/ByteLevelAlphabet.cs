namespace MmUpt.Processing.Tokenization;

/// <summary>
/// GPT-2's byte-level alphabet: each byte is shown as one printable unicode char (printable Latin-1 bytes as themselves,
/// the other 68 as U+0100 onwards), so BPE tokens are strings; a space is "Ġ", a newline "Ċ".
/// </summary>
public static class ByteLevelAlphabet
{
    private static readonly char[] ByteToChar = Build();
    private static readonly Dictionary<char, byte> CharToByte =
        ByteToChar.Select((c, b) => (c, b)).ToDictionary(x => x.c, x => (byte)x.b);

    /// <summary>The 256 byte tokens in byte order.</summary>
    public static IReadOnlyList<string> Tokens { get; } = ByteToChar.Select(c => c.ToString()).ToArray();

    public static string Encode(ReadOnlySpan<byte> bytes)
    {
        var chars = new char[bytes.Length];
        for (var i = 0; i < bytes.Length; i++) chars[i] = ByteToChar[bytes[i]];
        return new string(chars);
    }

    /// <summary>Byte-level string → the bytes; false if a char is outside the alphabet.</summary>
    public static bool TryDecode(string token, List<byte> into)
    {
        foreach (var ch in token)
        {
            if (!CharToByte.TryGetValue(ch, out var b)) return false;
            into.Add(b);
        }
        return true;
    }

    private static char[] Build()
    {
        var map = new char[256];
        var printable = new bool[256];
        for (var b = '!'; b <= '~'; b++) printable[b] = true;
        for (var b = 0xA1; b <= 0xAC; b++) printable[b] = true;
        for (var b = 0xAE; b <= 0xFF; b++) printable[b] = true;
        var next = 256;
        for (var b = 0; b < 256; b++) map[b] = printable[b] ? (char)b : (char)next++;
        return map;
    }
}
