using DentalClinic.ServiceInterface.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DentalClinic.ServiceInterface.Patients;

/// <summary>
/// The phone-digit index of patient search: for every run of digits in a patient's search text (the
/// phone number's digits, digits inside email words), every piece of it of <see cref="MinLength"/> to
/// <see cref="MaxLength"/> digits. A typed run of digits of that length occurs in the search text exactly when it is
/// one of the rows, so a search is one equality on the primary key (digits, names, patient), whose entries for one run
/// are already in name order: a page of a short run's thousands of matches is read, not sorted —
/// instead of trigrams, which digits share with half the clinic. A longer typed run (a whole number) is
/// looked up by its last <see cref="MaxLength"/> digits, which few patients share, and checked against the
/// search text. Rows carry a copy of the names for that order, and exist for active patients only
/// (archived ones are searched through their search text).
/// Kept with <c>patients.search_text</c> on every save (<see cref="PatientSearchInterceptor"/>), without an index
/// that leads with the patient or a foreign key, as <see cref="PatientSearchPrefix"/>; not audited.
/// </summary>
[NotAudited]
public sealed class PatientSearchDigits
{
    /// <summary>Shortest run a search answers from the index; a shorter one takes the general path.</summary>
    public const int MinLength = 4;
    /// <summary>
    /// Longest stored piece. Seven digits — a number without its area code — tell numbers apart; storing every
    /// longer piece too (up to 20 digits) made 36 rows of an 11-digit number instead of 26.
    /// </summary>
    public const int MaxLength = 7;

    public Guid PatientId { get; set; }
    public required string Digits { get; set; }
    public required string LastName { get; set; }
    public required string FirstName { get; set; }

    /// <summary>The rows of a search text (<see cref="PatientSearch.Text"/>).</summary>
    public static HashSet<string> Substrings(string searchText)
    {
        var rows = new HashSet<string>(StringComparer.Ordinal);
        for (var start = 0; start < searchText.Length; start++)
        {
            var end = start;
            while (end < searchText.Length && char.IsAsciiDigit(searchText[end])) end++;
            for (var length = MinLength; length <= Math.Min(end - start, MaxLength); length++)
                rows.Add(searchText.Substring(start, length));
        }
        return rows;
    }

    /// <summary>Whether a typed run of digits can be answered from the index.</summary>
    public static bool IsServed(string digits) => digits.Length >= MinLength;

    /// <summary>The row a typed run is looked up by: the run, or its last <see cref="MaxLength"/> digits.</summary>
    public static string KeyOf(string digits) => digits.Length <= MaxLength ? digits : digits[^MaxLength..];

    /// <summary>Whether the rows of <see cref="KeyOf"/> are the run's matches, or must be checked against the search text.</summary>
    public static bool IsWholeKey(string digits) => digits.Length <= MaxLength;
}

internal sealed class PatientSearchDigitsConfiguration : IEntityTypeConfiguration<PatientSearchDigits>
{
    public void Configure(EntityTypeBuilder<PatientSearchDigits> b)
    {
        b.ToTable("patient_search_digits");
        // Serves "digits = @run ORDER BY last_name, first_name, patient_id" from the key alone, in key order.
        b.HasKey(s => new { s.Digits, s.LastName, s.FirstName, s.PatientId });
        // As wide as when pieces of up to 20 digits were stored (migration PatientSearchDigitsUpToSeven).
        b.Property(s => s.Digits).HasMaxLength(20);
        b.Property(s => s.LastName).HasMaxLength(100);
        b.Property(s => s.FirstName).HasMaxLength(100);
    }
}
