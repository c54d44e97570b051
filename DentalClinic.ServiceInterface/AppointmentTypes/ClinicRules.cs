using System.Globalization;
using System.Text.RegularExpressions;
using DentalClinic.ServiceInterface.Data;
using DentalClinic.ServiceInterface.Infrastructure;
using DentalClinic.ServiceModel;
using FluentValidation;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace DentalClinic.ServiceInterface.AppointmentTypes;

/// <summary>Formats and rules shared by appointment types, appointments and treatments.</summary>
public static partial class ClinicRules
{
    /// <summary>
    /// Inside a transaction on PostgreSQL the patient's row is held shared until it ends, so that a purge
    /// (which locks the row first) erases the patient either before this check (400) or after the record is in
    /// (and erases it too); never between them, where the insert would break the foreign key.
    /// </summary>
    internal static async Task<bool> PatientUsableAsync(AppDbContext db, Guid id, CancellationToken ct)
    {
        if (!db.IsPostgres || db.Database.CurrentTransaction is not { } transaction)
            return await db.Patients.IgnoreQueryFilters().AnyAsync(x => x.Id == id && x.ArchivedAt == null, ct);
        // A plain command, prepared: EF would rebuild and look up a query composed over this SQL on every booking.
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = transaction.GetDbTransaction();
        if (db.Database.GetCommandTimeout() is { } timeout) command.CommandTimeout = timeout;
        command.CommandText = PatientUsableSql;
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = id });
        await PreparedQueries.PrepareAsync(command);
        return await command.ExecuteScalarAsync(ct) is not null;
    }

    /// <summary>PostgreSQL, in a transaction: a row when the patient ($1) may be booked, held shared (see <see cref="PatientUsableAsync"/>).</summary>
    internal const string PatientUsableSql = "SELECT 1 FROM patients WHERE id = $1 AND archived_at IS NULL FOR SHARE";

    /// <summary>A patient or type given for a new or changed record must exist and not be archived (400 on that field).</summary>
    public static async Task EnsurePatientAndTypeUsableAsync(AppDbContext db, Guid? patientId, Guid? typeId, CancellationToken ct) =>
        EnsureUsable(
            patientId is { } p ? await PatientUsableAsync(db, p, ct) : null,
            typeId is { } t ? await db.AppointmentTypes.IgnoreQueryFilters().AnyAsync(x => x.Id == t && x.ArchivedAt == null, ct) : null);

    /// <summary>400 naming patientId and appointmentTypeId, each when it was checked (not null) and cannot be used.</summary>
    public static void EnsureUsable(bool? patientUsable, bool? typeUsable)
    {
        var errors = new List<FieldError>();
        if (patientUsable == false) errors.Add(new FieldError("patientId", "The patient does not exist or is archived"));
        if (typeUsable == false) errors.Add(new FieldError("appointmentTypeId", "The appointment type does not exist or is archived"));
        if (errors.Count > 0)
            throw new ApiException(StatusCodes.Status400BadRequest, ErrorCodes.ValidationError, "Invalid input data", errors);
    }

    /// <summary>Notes: blank is none.</summary>
    public static string? EmptyToNull(string? notes) => string.IsNullOrWhiteSpace(notes) ? null : notes;

    public static readonly DateOnly MinDate = new(1900, 1, 1);
    public static readonly DateOnly MaxDate = new(2999, 12, 31);

    /// <summary>What a date field accepts, as its 400 says (after the field's name).</summary>
    public const string DateRule = "must be a date written YYYY-MM-DD, from 1900-01-01 to 2999-12-31";

    /// <summary>A calendar date written YYYY-MM-DD, between 1900 and 2999.</summary>
    public static DateOnly? ParseDate(string? value) =>
        value is not null && DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
        && date >= MinDate && date <= MaxDate
            ? date
            : null;

    /// <summary>A time of day written HH:mm (24 h).</summary>
    public static TimeOnly? ParseTime(string? value) =>
        value is not null && TimePattern().IsMatch(value)
            ? new TimeOnly(int.Parse(value[..2], CultureInfo.InvariantCulture), int.Parse(value[3..], CultureInfo.InvariantCulture))
            : null;

    public static string FormatTime(TimeOnly time) => time.ToString("HH:mm", CultureInfo.InvariantCulture);

    public static bool HasAtMostTwoDecimals(decimal value) => Infrastructure.Money.HasAtMostTwoDecimals(value);

    /// <summary>Money: at least 0, at most <paramref name="max"/>, at most 2 decimals.</summary>
    public static IRuleBuilderOptions<T, decimal?> Money<T>(this IRuleBuilder<T, decimal?> rule, decimal max) =>
        rule.Must(v => v is null || (v >= 0 && v <= max && HasAtMostTwoDecimals(v.Value)))
            .WithMessage($"{{PropertyName}} must be between 0 and {max.ToString("0", CultureInfo.InvariantCulture)} with at most 2 decimals");

    /// <summary>A time of day as the API writes and accepts it (the API document's pattern).</summary>
    public const string TimePatternText = "^([01][0-9]|2[0-3]):[0-5][0-9]$";

    /// <summary>A colour as #RRGGBB (the API document's pattern).</summary>
    public const string ColorPatternText = "^#[0-9A-Fa-f]{6}$";

    public static IRuleBuilderOptions<T, string?> IsDate<T>(this IRuleBuilder<T, string?> rule) =>
        rule.SetValidator(new DocumentedRule<T, string?>(v => v is null || ParseDate(v) is not null) { Format = "date" })
            .WithMessage("{PropertyName} " + DateRule);

    public static IRuleBuilderOptions<T, string?> IsTime<T>(this IRuleBuilder<T, string?> rule) =>
        rule.SetValidator(new DocumentedRule<T, string?>(v => v is null || ParseTime(v) is not null) { Pattern = TimePatternText })
            .WithMessage("{PropertyName} must be a time written HH:mm (24 h)");

    public static IRuleBuilderOptions<T, string?> IsColor<T>(this IRuleBuilder<T, string?> rule) =>
        rule.SetValidator(new DocumentedRule<T, string?>(v => v is null || ColorPattern().IsMatch(v)) { Pattern = ColorPatternText })
            .WithMessage("{PropertyName} must be a hex colour written #RRGGBB");

    [GeneratedRegex(TimePatternText)]
    private static partial Regex TimePattern();

    [GeneratedRegex(ColorPatternText)]
    private static partial Regex ColorPattern();
}
