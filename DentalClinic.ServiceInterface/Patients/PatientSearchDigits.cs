using DentalClinic.ServiceInterface.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DentalClinic.ServiceInterface.Patients;

/// <summary>
/// The phone-digit index of patient search: for every run of digits in a patient's search text (the
/// phone number's digits, digits inside email words), each of its tails of at least
/// <see cref="MinLength"/> digits, cut to <see cref="MaxLength"/>. A typed run of digits occurs in the
/// search text exactly when a row starts with it, which one range of the <c>digits</c> index answers
/// (<see cref="UpperBound"/>) — instead of trigrams, which digits share with half the clinic. Rows
/// carry a copy of the names, so that a page of a short run's thousands of matches is sorted from the
/// index alone, and exist for active patients only (archived ones are searched through their search text).
/// Kept with <c>patients.search_text</c> on every save (<see cref="PatientSearchInterceptor"/>); not audited.
/// Only ASCII digits are stored, so every collation orders the rows the same way.
/// </summary>
[NotAudited]
public sealed class PatientSearchDigits
{
    /// <summary>Shortest run a search answers from the index; a shorter one takes the general path.</summary>
    public const int MinLength = 4;
    /// <summary>Longest stored tail; a longer run typed takes the general path.</summary>
    public const int MaxLength = 20;

    public Guid PatientId { get; set; }
    public required string Digits { get; set; }
    public required string LastName { get; set; }
    public required string FirstName { get; set; }

    /// <summary>The rows of a search text (<see cref="PatientSearch.Text"/>).</summary>
    public static HashSet<string> Tails(string searchText)
    {
        var tails = new HashSet<string>(StringComparer.Ordinal);
        for (var start = 0; start < searchText.Length; start++)
        {
            var end = start;
            while (end < searchText.Length && char.IsAsciiDigit(searchText[end])) end++;
            var run = end - start;
            if (run >= MinLength) tails.Add(searchText.Substring(start, Math.Min(run, MaxLength)));
        }
        return tails;
    }

    /// <summary>Whether a typed run of digits can be answered from the index.</summary>
    public static bool IsServed(string digits) => digits.Length is >= MinLength and <= MaxLength;

    /// <summary>
    /// The smallest run of digits above every run that starts with these digits ("5551" → "5552",
    /// "5599" → "56"), or null when they are all nines (then nothing is above them). Digits only, so
    /// that it holds in every collation.
    /// </summary>
    public static string? UpperBound(string digits)
    {
        var kept = digits.TrimEnd('9');
        return kept.Length == 0 ? null : kept[..^1] + (char)(kept[^1] + 1);
    }
}

internal sealed class PatientSearchDigitsConfiguration : IEntityTypeConfiguration<PatientSearchDigits>
{
    public void Configure(EntityTypeBuilder<PatientSearchDigits> b)
    {
        b.ToTable("patient_search_digits");
        b.HasKey(s => new { s.PatientId, s.Digits });
        b.Property(s => s.Digits).HasMaxLength(PatientSearchDigits.MaxLength);
        b.Property(s => s.LastName).HasMaxLength(100);
        b.Property(s => s.FirstName).HasMaxLength(100);
        b.HasOne<Patient>().WithMany().HasForeignKey(s => s.PatientId).OnDelete(DeleteBehavior.Cascade);
        // Serves "digits >= @run AND digits < @upper" with the sort key of the page, from the index alone.
        b.HasIndex(s => new { s.Digits, s.LastName, s.FirstName, s.PatientId }).HasDatabaseName("ix_patient_search_digits_digits");
    }
}
