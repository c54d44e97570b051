using DentalClinic.ServiceInterface.Infrastructure;
using DentalClinic.ServiceModel;
using FluentValidation;

namespace DentalClinic.ServiceInterface.Settings;

public sealed class UpdateSettingsValidator : AbstractValidator<UpdateSettings>
{
    public UpdateSettingsValidator()
    {
        RuleFor(x => x.ClinicName).NotEmpty().WithMessage("Clinic name must not be empty").MaximumLength(200)
            .When(x => x.ClinicName is not null);
        RuleFor(x => x.Timezone).SetValidator(new DocumentedRule<UpdateSettings, string?>(z => z is null || BeIanaTimeZone(z)) { Pattern = TimezonePattern }).WithMessage("Timezone must be an IANA time zone such as Europe/Berlin")
            .When(x => x.Timezone is not null);
        RuleFor(x => x.ReminderLeadTimeHours).InclusiveBetween(1, 168).WithMessage("Reminder lead time must be between 1 and 168 hours")
            .When(x => x.ReminderLeadTimeHours is not null);
        RuleFor(x => x.ClinicPhone).MaximumLength(40).Matches(@"^[0-9+()\-. ]*$").WithMessage("Clinic phone may hold digits, spaces and + ( ) - . only")
            .When(x => x.ClinicPhone is not null);
        RuleFor(x => x.SlotMinutes).Must(m => m is null || IsSlotMinutes(m.Value))
            .WithMessage("Slot minutes must divide a day evenly and be between 5 and 240 (5, 10, 15, 20, 30, 60 …)");
        RuleFor(x => x.ReminderChannels).Must(c => c is null || c.All(ReminderChannel.All.Contains))
            .WithMessage("Reminder channels must be a list of: sms, email")
            .MaxItems(ReminderChannel.All.Count).WithMessage("Reminder channels must name each channel at most once");
        RuleFor(x => x.ClinicEmail).MaximumLength(254).EmailAddress()
            .When(x => !string.IsNullOrWhiteSpace(x.ClinicEmail));
        RuleFor(x => x.ClinicAddress).MaximumLength(500);
    }

    /// <summary>The shortest and longest slot of the booking grid, in minutes (a slot also divides the day evenly).</summary>
    public const int MinSlotMinutes = 5, MaxSlotMinutes = 240;

    /// <summary>What every IANA time zone id is made of (Europe/Berlin, America/Argentina/Buenos_Aires, Etc/GMT+5).</summary>
    public const string TimezonePattern = "^[A-Za-z0-9_+\\-/]{1,64}$";

    public static bool IsSlotMinutes(int minutes) => minutes >= MinSlotMinutes && minutes <= MaxSlotMinutes && 1440 % minutes == 0;

    /// <summary>An IANA id known to this system (Windows ids such as "Pacific Standard Time" are refused).</summary>
    public static bool BeIanaTimeZone(string id) =>
        System.Text.RegularExpressions.Regex.IsMatch(id, TimezonePattern) && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) && zone.HasIanaId;
}
