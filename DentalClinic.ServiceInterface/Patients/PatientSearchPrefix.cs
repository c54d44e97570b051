using DentalClinic.ServiceInterface.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DentalClinic.ServiceInterface.Patients;

/// <summary>
/// The word-prefix index of patient search: one row for every start (up to <see cref="MaxLength"/>
/// characters) of every word of a patient's names and email, with the rank a one-word search for it
/// gives the patient (as its <see cref="Precedence"/>) and a copy of the names that order the results.
/// A one-word search — the search box as someone types — reads the first page straight from the primary
/// key on (prefix, precedence, last name, first name, patient id) instead of ranking every patient that
/// matches. Derived from <c>patients.search_text</c> on every save (<see cref="PatientSearchInterceptor"/>),
/// which computes a patient's stored rows from the values it was read with: no index leads with the
/// patient id, and no foreign key cascades to these rows (each would cost as much to build and keep as the
/// key itself). Not audited.
/// </summary>
[NotAudited]
public sealed class PatientSearchPrefix
{
    /// <summary>Longest prefix kept; a longer one-word search takes the general path.</summary>
    public const int MaxLength = 20;
    public const int WholeNameWord = 3;
    public const int StartOfNameWord = 2;
    public const int StartOfEmailWord = 1;

    public Guid PatientId { get; set; }
    public required string Prefix { get; set; }
    /// <summary>
    /// The rank, best first: <see cref="WholeNameWord"/> minus the rank (0 a whole word of the names). Stored so
    /// that the primary key, ascending as PostgreSQL's keys are, is the order of a one-word search's results.
    /// </summary>
    public int Precedence { get; set; }
    public required string LastName { get; set; }
    public required string FirstName { get; set; }

    /// <summary>
    /// The rows of a search text (<see cref="PatientSearch.Text"/>): for each word before the <c>#</c>
    /// (names) and after it (email words; the phone digits are left out: a search word is never only
    /// digits), each of its first 1…<see cref="MaxLength"/> characters, with the best rank it gives.
    /// Characters are Unicode code points, as SQL's length() counts them.
    /// </summary>
    public static Dictionary<string, int> Ranks(string searchText)
    {
        var hash = searchText.IndexOf('#');
        var ranks = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (part, inNames) in new[] { (hash < 0 ? searchText : searchText[..hash], true), (hash < 0 ? "" : searchText[(hash + 1)..], false) })
            foreach (var word in part.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (!IsSearchWord(word)) continue;
                var length = 0;
                var count = 0;
                foreach (var rune in word.EnumerateRunes())
                {
                    length += rune.Utf16SequenceLength;
                    if (++count > MaxLength) break;
                    var rank = !inNames ? StartOfEmailWord : length == word.Length ? WholeNameWord : StartOfNameWord;
                    var prefix = word[..length];
                    if (!ranks.TryGetValue(prefix, out var best) || rank > best) ranks[prefix] = rank;
                }
            }
        return ranks;
    }

    /// <summary>Whether a one-word search can be answered from the index: a word with a non-digit, at most <see cref="MaxLength"/> characters.</summary>
    public static bool IsServed(string word) => IsSearchWord(word) && word.EnumerateRunes().Count() <= MaxLength;

    public static int PrecedenceOf(int rank) => WholeNameWord - rank;

    public static int RankOf(int precedence) => WholeNameWord - precedence;

    private static bool IsSearchWord(string word) => word.Any(c => !char.IsAsciiDigit(c));
}

internal sealed class PatientSearchPrefixConfiguration : IEntityTypeConfiguration<PatientSearchPrefix>
{
    public void Configure(EntityTypeBuilder<PatientSearchPrefix> b)
    {
        b.ToTable("patient_search_prefixes");
        // Serves "prefix = @word ORDER BY precedence, last_name, first_name, patient_id LIMIT n" in key order.
        b.HasKey(s => new { s.Prefix, s.Precedence, s.LastName, s.FirstName, s.PatientId });
        b.Property(s => s.Prefix).HasMaxLength(PatientSearchPrefix.MaxLength);
        b.Property(s => s.LastName).HasMaxLength(100);
        b.Property(s => s.FirstName).HasMaxLength(100);
    }
}
