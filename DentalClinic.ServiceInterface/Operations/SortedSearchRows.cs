using System.Runtime.InteropServices;
using DentalClinic.ServiceInterface.Patients;

namespace DentalClinic.ServiceInterface.Operations;

/// <summary>
/// The search rows of a bulk-loaded clinic (<see cref="PatientSearchPrefix"/>, <see cref="PatientSearchDigits"/>),
/// collected for every patient and handed out in the order of each table's primary key. PostgreSQL
/// builds an index over rows already in its order several times faster than over rows in patient
/// order (its sort finds each run already sorted), and the rows are the largest tables of a clinic.
/// Each row is held as a packed key — its text 6 (prefix) or 4 (digits) bits a character, the
/// names as their place in the seeder's name lists, the patient as its index among patient ids that
/// ascend — so a million patients' rows take about a gigabyte rather than several.
/// The order is ordinal, which is PostgreSQL's for these ASCII words and for the names under the
/// C and C.UTF-8 collations; under another collation the rows are still the same, only the index builds slower.
/// </summary>
internal sealed class SortedSearchRows(string[] lastNames, string[] firstNames, Guid[] patientIds, int expectedPatients)
{
    private const string WordCharacters = "0123456789abcdefghijklmnopqrstuvwxyz";
    private readonly string[] lastNames = lastNames.Order(StringComparer.Ordinal).ToArray();
    private readonly string[] firstNames = firstNames.Order(StringComparer.Ordinal).ToArray();
    private readonly List<PrefixKey> prefixes = new(expectedPatients * 24);
    private readonly List<UInt128> digits = new(expectedPatients * 32);

    public int PrefixCount => prefixes.Count;
    public int DigitsCount => digits.Count;

    /// <summary>Adds the rows of a patient's search text, as <see cref="PatientSearchInterceptor"/> writes them.</summary>
    public void Add(int patient, string lastName, string firstName, string searchText)
    {
        var (last, first) = ((ulong)Place(lastNames, lastName), (ulong)Place(firstNames, firstName));
        var names = last << 40 | first << 32 | (uint)patient;
        foreach (var (prefix, rank) in PatientSearchPrefix.Ranks(searchText))
        {
            var (high, low) = PackWord(prefix);
            prefixes.Add(new PrefixKey(high, low << 2 | (uint)PatientSearchPrefix.PrecedenceOf(rank), names));
        }
        foreach (var run in PatientSearchDigits.Substrings(searchText))
            digits.Add(new UInt128(PackDigits(run), last << 56 | first << 48 | (uint)patient));
    }

    /// <summary>Puts both tables' rows in the order of their primary keys.</summary>
    public void Sort()
    {
        CollectionsMarshal.AsSpan(prefixes).Sort();
        CollectionsMarshal.AsSpan(digits).Sort();
    }

    /// <summary>The prefix rows in the order of their primary key, each row object reused.</summary>
    public IEnumerable<PatientSearchPrefix> Prefixes()
    {
        var row = new PatientSearchPrefix { Prefix = "", LastName = "", FirstName = "" };
        (ulong, ulong) word = (ulong.MaxValue, ulong.MaxValue);
        foreach (var key in prefixes)
        {
            var packed = (key.Word, key.WordAndPrecedence >> 2);
            if (packed != word) (word, row.Prefix) = (packed, UnpackWord(packed.Word, packed.Item2));
            row.Precedence = (int)(key.WordAndPrecedence & 3);
            row.LastName = lastNames[(int)(key.Names >> 40) & 0xFF];
            row.FirstName = firstNames[(int)(key.Names >> 32) & 0xFF];
            row.PatientId = patientIds[(uint)key.Names];
            yield return row;
        }
    }

    /// <summary>The digit rows in the order of their primary key, each row object reused.</summary>
    public IEnumerable<PatientSearchDigits> Digits()
    {
        var row = new PatientSearchDigits { Digits = "", LastName = "", FirstName = "" };
        var run = ulong.MaxValue;
        foreach (var key in digits)
        {
            var (upper, lower) = ((ulong)(key >> 64), (ulong)key);
            if (upper != run) (run, row.Digits) = (upper, UnpackDigits(upper));
            row.LastName = lastNames[(int)(lower >> 56)];
            row.FirstName = firstNames[(int)(lower >> 48) & 0xFF];
            row.PatientId = patientIds[(uint)lower];
            yield return row;
        }
    }

    public void Clear()
    {
        prefixes.Clear();
        prefixes.TrimExcess();
        digits.Clear();
        digits.TrimExcess();
    }

    private static int Place(string[] sorted, string name)
    {
        var place = Array.BinarySearch(sorted, name, StringComparer.Ordinal);
        return place >= 0 ? place : throw new InvalidOperationException($"'{name}' is not one of the seeder's names.");
    }

    /// <summary>Up to 20 word characters, 6 bits each from the left (0 = no character, so a shorter word sorts first), in two halves.</summary>
    private static (ulong High, ulong Low) PackWord(string word)
    {
        if (word.Length > 20) throw new InvalidOperationException($"'{word}' is longer than a stored prefix.");
        ulong high = 0, low = 0;
        for (var i = 0; i < 20; i++)
        {
            var code = 0UL;
            if (i < word.Length)
            {
                var at = WordCharacters.IndexOf(word[i]);
                code = at >= 0 ? (ulong)at + 1 : throw new InvalidOperationException($"'{word}' has a character the seeder does not pack.");
            }
            if (i < 10) high = high << 6 | code;
            else low = low << 6 | code;
        }
        return (high, low);
    }

    private static string UnpackWord(ulong high, ulong low)
    {
        Span<char> word = stackalloc char[20];
        var length = 0;
        for (var i = 0; i < 20; i++)
        {
            var code = (int)((i < 10 ? high >> (6 * (9 - i)) : low >> (6 * (19 - i))) & 63);
            if (code == 0) break;
            word[length++] = WordCharacters[code - 1];
        }
        return new string(word[..length]);
    }

    /// <summary>Up to 16 digits (the seeder's runs have at most 11), 4 bits each from the left (digit + 1; 0 = no digit).</summary>
    private static ulong PackDigits(string run)
    {
        if (run.Length > 16) throw new InvalidOperationException($"'{run}' is longer than the seeder packs.");
        var packed = 0UL;
        for (var i = 0; i < 16; i++) packed = packed << 4 | (i < run.Length ? (ulong)(run[i] - '0' + 1) : 0);
        return packed;
    }

    private static string UnpackDigits(ulong packed)
    {
        Span<char> run = stackalloc char[16];
        var length = 0;
        for (var i = 0; i < 16; i++)
        {
            var code = (int)(packed >> (4 * (15 - i))) & 15;
            if (code == 0) break;
            run[length++] = (char)('0' + code - 1);
        }
        return new string(run[..length]);
    }

    private readonly record struct PrefixKey(ulong Word, ulong WordAndPrecedence, ulong Names) : IComparable<PrefixKey>
    {
        public int CompareTo(PrefixKey other)
        {
            var c = Word.CompareTo(other.Word);
            if (c != 0) return c;
            c = WordAndPrecedence.CompareTo(other.WordAndPrecedence);
            return c != 0 ? c : Names.CompareTo(other.Names);
        }
    }
}
