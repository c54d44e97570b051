using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using DentalClinic.ServiceInterface.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DentalClinic.ServiceInterface.Patients;

/// <summary>
/// Patient search: every patient row carries <c>search_text</c>, a normalised copy of its names,
/// email and phone digits that the application writes with the row. Both providers match the
/// same LIKE patterns against it, served by an index of their own (created by the
/// AddPatientSearch migration): PostgreSQL a pg_trgm GIN index on the column, SQLite an FTS5
/// trigram table (<c>patients_fts</c>) that triggers keep in sync. PostgreSQL also matches words through a
/// GIN index over <c>patient_search_words(search_text)</c> (the PatientSearchWords migration): every start of
/// up to <see cref="PatientSearchPrefix.MaxLength"/> characters of every word that is not only digits, the
/// words of <see cref="PatientSearchPrefix.Ranks"/>, so <c>@&gt; ARRAY[word]</c> holds exactly when <c>"% word%"</c> matches.
/// </summary>
/// <remarks>
/// Layout: <c>" {first} {last} # {email words} {phone digits} "</c> — lower case, accents and
/// apostrophes removed, every other character than a letter or digit turned into a single space. Each word starts after
/// a space (so <c>"% joh%"</c> is a word-prefix match) and the names come before the only <c>#</c>
/// (so <c>"% doe%#%"</c> matches in the names only).
/// </remarks>
public static partial class PatientSearch
{
    /// <summary>The shadow property (column <c>search_text</c>) on <see cref="Patient"/>.</summary>
    public const string Property = "SearchText";
    public const int MaxLength = 1000;
    /// <summary>A search of more terms than this is refused (400 on <c>search</c>).</summary>
    public const int MaxTerms = 8;

    /// <summary>
    /// Writes the search text of a patient that is about to be saved. Everything that writes patients
    /// (the service, a seed command) calls it after setting the names, email and number.
    /// </summary>
    public static void Index(AppDbContext db, Patient patient) =>
        db.Entry(patient).Property<string>(Property).CurrentValue = TextOf(patient);

    /// <summary>The search text of a patient's names, email and number.</summary>
    public static string TextOf(Patient patient)
    {
        var number = MobileNumbers.Parse(patient.MobileE164, MobileNumbers.FallbackRegion);
        var digits = number is null ? [patient.MobileE164.TrimStart('+')] : MobileNumbers.SearchDigits(number);
        return Text(patient.FirstName, patient.LastName, patient.Email, digits);
    }

    public static string Text(string firstName, string lastName, string? email, IEnumerable<string> phoneDigits)
    {
        var text = $" {Normalize(firstName)} {Normalize(lastName)} # {Normalize(email ?? "")} {string.Join(' ', phoneDigits)} ";
        text = MultipleSpaces().Replace(text, " ");
        return text.Length <= MaxLength ? text : text[..(MaxLength - 1)] + " ";
    }

    /// <summary>Lower case, accents and apostrophes removed, runs of anything else but letters and digits as one space, trimmed.</summary>
    public static string Normalize(string value)
    {
        var decomposed = value.ToLowerInvariant().Normalize(NormalizationForm.FormD);
        var result = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark) continue;
            // An apostrophe joins: O'Brien is found as obrien.
            if (Apostrophes.Contains(c)) continue;
            if (char.IsLetterOrDigit(c)) result.Append(Fold(c));
            else if (result.Length > 0 && result[^1] != ' ') result.Append(' ');
        }
        return result.ToString().Trim().Normalize(NormalizationForm.FormC);
    }

    public const string Apostrophes = "'`\u00B4\u2018\u2019\u02BC";

    /// <summary>Letters that carry their accent in the letter itself rather than as a combining mark.</summary>
    private static string Fold(char c) => c switch
    {
        'ß' => "ss", 'æ' => "ae", 'œ' => "oe", 'ø' => "o", 'đ' => "d", 'ð' => "d", 'ł' => "l", 'þ' => "th", 'ı' => "i", 'ħ' => "h", 'ŧ' => "t",
        _ => c.ToString(),
    };

    /// <summary>The terms of a search: word prefixes, and phone digits (a run of digits and phone punctuation).</summary>
    public static SearchTerms Parse(string? search)
    {
        var (words, digits) = AllTerms(search);
        // Keep at most MaxTerms (the validator refuses more), phone digits first: they are the most selective.
        var keptDigits = digits.Take(MaxTerms).ToList();
        return new SearchTerms(words.Take(MaxTerms - keptDigits.Count).ToList(), keptDigits);
    }

    /// <summary>How many distinct terms a search has (words and phone-digit runs).</summary>
    public static int CountTerms(string? search)
    {
        var (words, digits) = AllTerms(search);
        return words.Count + digits.Count;
    }

    private static (List<string> Words, List<string> Digits) AllTerms(string? search)
    {
        var words = new List<string>();
        var digits = new List<string>();
        if (string.IsNullOrWhiteSpace(search)) return (words, digits);
        var rest = PhoneDigitRun().Replace(search, m =>
        {
            var run = new string(m.Value.Where(char.IsAsciiDigit).ToArray());
            if (!digits.Contains(run)) digits.Add(run);
            return " ";
        });
        foreach (var word in Normalize(rest).Split(' ', StringSplitOptions.RemoveEmptyEntries))
            if (!words.Contains(word)) words.Add(word);
        return (words, digits);
    }

    [GeneratedRegex(" {2,}")]
    private static partial Regex MultipleSpaces();

    /// <summary>
    /// Digits, possibly separated by phone punctuation (<c>555-123</c>, <c>(555) 123 4567</c>, <c>+1 555</c>),
    /// but not digits inside a word such as <c>bob1985</c>, which stays a word.
    /// </summary>
    [GeneratedRegex(@"(?<![\p{L}\p{N}])\d(?:[\s().\-/]*\d)*(?![\p{L}\p{N}])")]
    private static partial Regex PhoneDigitRun();
}

/// <param name="Words">Each must start a word of the names or email.</param>
/// <param name="Digits">Each must occur inside the phone digits.</param>
public sealed record SearchTerms(IReadOnlyList<string> Words, IReadOnlyList<string> Digits)
{
    public bool IsEmpty => Words.Count == 0 && Digits.Count == 0;

    /// <summary>The LIKE patterns a matching row satisfies, one per term.</summary>
    public IEnumerable<string> Patterns => Words.Select(w => $"% {w}%").Concat(Digits.Select(d => $"%{d}%"));

    /// <summary>A stable text of the terms, so that a cursor can only continue the search it came from.</summary>
    public string Key => string.Join(' ', Words) + "|" + string.Join(' ', Digits);
}

/// <summary>The <c>search_text</c> shadow column of <see cref="Patient"/>; its indexes are created by the migration.</summary>
internal sealed class PatientSearchConfiguration : IEntityTypeConfiguration<Patient>
{
    public void Configure(EntityTypeBuilder<Patient> b) =>
        b.Property<string>(PatientSearch.Property).HasMaxLength(PatientSearch.MaxLength).IsRequired();
}
