using System.Buffers.Binary;
using System.Text;

namespace MmUpt.Torch;

/// <summary>
/// Reads the symbol-version sections of a 64-bit little-endian ELF shared library: the versions it needs from each
/// dependency (<c>.gnu.version_r</c>, <c>Elf64_Verneed</c>/<c>Elf64_Vernaux</c>) and the versions it defines
/// (<c>.gnu.version_d</c>, <c>Elf64_Verdef</c>/<c>Elf64_Verdaux</c>). Layouts: the System V gABI and glibc's elf.h.
/// </summary>
public static class ElfVersions
{
    private const uint ShtGnuVerdef = 0x6ffffffd;
    private const uint ShtGnuVerneed = 0x6ffffffe;

    /// <summary>VER_FLG_WEAK: the dynamic loader accepts a dependency that lacks this version.</summary>
    public const ushort WeakFlag = 0x2;

    /// <summary>One needed version: the dependency's file name, the version name, its flags and where the flags are.</summary>
    public sealed record Need(string File, string Version, ushort Flags, long FlagsOffset)
    {
        public bool IsWeak => (Flags & WeakFlag) != 0;
    }

    public static IReadOnlyList<Need> ReadNeeds(ReadOnlySpan<byte> elf)
    {
        var needs = new List<Need>();
        foreach (var (offset, _, link, info) in Sections(elf, ShtGnuVerneed))
        {
            var strtab = SectionOffset(elf, link);
            var entry = offset;
            for (var i = 0u; i < info; i++)
            {
                // Elf64_Verneed: vn_version u16, vn_cnt u16, vn_file u32, vn_aux u32, vn_next u32
                var count = U16(elf, entry + 2);
                var file = Str(elf, strtab + U32(elf, entry + 4));
                var aux = entry + U32(elf, entry + 8);
                for (var j = 0; j < count; j++)
                {
                    // Elf64_Vernaux: vna_hash u32, vna_flags u16, vna_other u16, vna_name u32, vna_next u32
                    needs.Add(new Need(file, Str(elf, strtab + U32(elf, aux + 8)), U16(elf, aux + 4), aux + 4));
                    aux += U32(elf, aux + 12);
                }
                var next = U32(elf, entry + 12);
                if (next == 0)
                {
                    break;
                }
                entry += next;
            }
        }
        return needs;
    }

    public static IReadOnlySet<string> ReadDefinitions(ReadOnlySpan<byte> elf)
    {
        var defined = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (offset, _, link, info) in Sections(elf, ShtGnuVerdef))
        {
            var strtab = SectionOffset(elf, link);
            var entry = offset;
            for (var i = 0u; i < info; i++)
            {
                // Elf64_Verdef: vd_version u16, vd_flags u16, vd_ndx u16, vd_cnt u16, vd_hash u32, vd_aux u32, vd_next u32
                var aux = entry + U32(elf, entry + 12);
                defined.Add(Str(elf, strtab + U32(elf, aux))); // Elf64_Verdaux: vda_name u32, vda_next u32
                var next = U32(elf, entry + 16);
                if (next == 0)
                {
                    break;
                }
                entry += next;
            }
        }
        return defined;
    }

    private static List<(long Offset, long Size, uint Link, uint Info)> Sections(ReadOnlySpan<byte> elf, uint type)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
        {
            throw new InvalidDataException("not an ELF file");
        }
        if (elf[4] != 2 || elf[5] != 1)
        {
            throw new InvalidDataException("not a 64-bit little-endian ELF file");
        }
        var shoff = (long)BinaryPrimitives.ReadUInt64LittleEndian(elf[0x28..]);
        var shentsize = BinaryPrimitives.ReadUInt16LittleEndian(elf[0x3A..]);
        var shnum = BinaryPrimitives.ReadUInt16LittleEndian(elf[0x3C..]);
        var found = new List<(long, long, uint, uint)>();
        for (var i = 0; i < shnum; i++)
        {
            var sh = elf[(int)(shoff + (long)i * shentsize)..];
            // Elf64_Shdr: sh_name u32, sh_type u32, sh_flags u64, sh_addr u64, sh_offset u64, sh_size u64, sh_link u32, sh_info u32
            if (BinaryPrimitives.ReadUInt32LittleEndian(sh[4..]) == type)
            {
                found.Add(((long)BinaryPrimitives.ReadUInt64LittleEndian(sh[0x18..]), (long)BinaryPrimitives.ReadUInt64LittleEndian(sh[0x20..]),
                    BinaryPrimitives.ReadUInt32LittleEndian(sh[0x28..]), BinaryPrimitives.ReadUInt32LittleEndian(sh[0x2C..])));
            }
        }
        return found;
    }

    private static long SectionOffset(ReadOnlySpan<byte> elf, uint index)
    {
        var shoff = (long)BinaryPrimitives.ReadUInt64LittleEndian(elf[0x28..]);
        var shentsize = BinaryPrimitives.ReadUInt16LittleEndian(elf[0x3A..]);
        return (long)BinaryPrimitives.ReadUInt64LittleEndian(elf[(int)(shoff + index * shentsize + 0x18)..]);
    }

    private static ushort U16(ReadOnlySpan<byte> b, long at) => BinaryPrimitives.ReadUInt16LittleEndian(b[(int)at..]);

    private static uint U32(ReadOnlySpan<byte> b, long at) => BinaryPrimitives.ReadUInt32LittleEndian(b[(int)at..]);

    private static string Str(ReadOnlySpan<byte> b, long at)
    {
        var s = b[(int)at..];
        return Encoding.ASCII.GetString(s[..s.IndexOf((byte)0)]);
    }
}
