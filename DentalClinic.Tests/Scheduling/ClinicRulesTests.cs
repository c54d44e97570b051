using DentalClinic.ServiceInterface.Appointments;
using DentalClinic.ServiceInterface.AppointmentTypes;
using DentalClinic.ServiceInterface.Treatments;

namespace DentalClinic.Tests.Scheduling;

/// <summary>Unit tests of the scheduling rules that need no HTTP or database.</summary>
public sealed class ClinicRulesTests
{
    [TestCase("2025-12-25", true)]
    [TestCase("2024-02-29", true)]
    [TestCase("1900-01-01", true)]
    [TestCase("2999-12-31", true)]
    [TestCase("2025-02-29", false)]
    [TestCase("1899-12-31", false)]
    [TestCase("3000-01-01", false)]
    [TestCase("2025-1-01", false)]
    [TestCase("2025/12/25", false)]
    [TestCase(" 2025-12-25", false)]
    [TestCase("", false)]
    [TestCase(null, false)]
    public void Dates_are_strictly_YYYY_MM_DD(string? text, bool valid) =>
        Assert.That(ClinicRules.ParseDate(text).HasValue, Is.EqualTo(valid));

    [TestCase("00:00", 0, 0)]
    [TestCase("09:05", 9, 5)]
    [TestCase("23:59", 23, 59)]
    public void Times_are_24_hour_HH_mm(string text, int hour, int minute) =>
        Assert.That(ClinicRules.ParseTime(text), Is.EqualTo(new TimeOnly(hour, minute)));

    [TestCase("24:00")]
    [TestCase("9:05")]
    [TestCase("09:5")]
    [TestCase("09:05:00")]
    [TestCase("٠٩:٠٥")]
    [TestCase("")]
    [TestCase(null)]
    public void Other_times_are_refused(string? text) => Assert.That(ClinicRules.ParseTime(text), Is.Null);

    [Test]
    public void Times_format_back_as_HH_mm() => Assert.That(ClinicRules.FormatTime(new TimeOnly(7, 5, 30)), Is.EqualTo("07:05"));

    [TestCase(8, 30, 90, "10:00")]
    [TestCase(23, 0, 60, "24:00")]
    [TestCase(23, 0, 150, "24:00")]
    public void End_time_is_start_plus_duration(int hour, int minute, int duration, string end) =>
        Assert.That(AppointmentsService.EndTime(new TimeOnly(hour, minute), duration), Is.EqualTo(end));

    [Test]
    public void Money_arithmetic_is_exact()
    {
        Assert.That(TreatmentMoney.Balance(0.3m, 0.1m + 0.2m, 0m), Is.EqualTo(0m));
        Assert.That(TreatmentMoney.Balance(800m, 400m, 50m), Is.EqualTo(350m));
        Assert.That(TreatmentMoney.Check(100m, 60m, 40m), Is.Empty);
        Assert.That(TreatmentMoney.Check(100m, 60.01m, 40m).Single().Field, Is.EqualTo("amountPaid"));
        Assert.That(TreatmentMoney.Check(100m, 0m, 100.01m).Single().Field, Is.EqualTo("discount"));
        Assert.That(ClinicRules.HasAtMostTwoDecimals(1.10m), Is.True);
        Assert.That(ClinicRules.HasAtMostTwoDecimals(1.100m), Is.True);
        Assert.That(ClinicRules.HasAtMostTwoDecimals(1.101m), Is.False);
    }

    [Test]
    public void Type_names_compare_trimmed_and_without_case() =>
        Assert.That(AppointmentTypesService.Normalize("  Root Canal "), Is.EqualTo(AppointmentTypesService.Normalize("ROOT CANAL")));
}
