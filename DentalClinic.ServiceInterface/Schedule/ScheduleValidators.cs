using System.Globalization;
using DentalClinic.ServiceInterface.AppointmentTypes;
using DentalClinic.ServiceInterface.Infrastructure;
using DentalClinic.ServiceModel;
using FluentValidation;

namespace DentalClinic.ServiceInterface.Schedule;

public sealed class CreateChairValidator : AbstractValidator<CreateChair>
{
    public CreateChairValidator()
    {
        RuleFor(x => x.Name).NotEmpty().WithMessage("Name is required").MaximumLength(100);
        RuleFor(x => x.Color).NotEmpty().WithMessage("Color is required").IsColor();
        RuleFor(x => x.DisplayOrder).InclusiveBetween(0, 10_000);
    }
}

public sealed class UpdateChairValidator : AbstractValidator<UpdateChair>
{
    public UpdateChairValidator()
    {
        RuleFor(x => x.Name).NotEmpty().MaximumLength(100).When(x => x.Name is not null);
        RuleFor(x => x.Color).IsColor();
        RuleFor(x => x.DisplayOrder).InclusiveBetween(0, 10_000);
    }
}

/// <summary>Each interval: weekday 1..7, start before end (HH:mm; an end may be 24:00); none overlaps another of its weekday.</summary>
public sealed class SetHoursValidator : AbstractValidator<SetHours>
{
    public const int MaxIntervals = 100;

    public SetHoursValidator()
    {
        RuleFor(x => x.Intervals).NotNull().WithMessage("Intervals are required (an empty list clears them)")
            .MaxItems(MaxIntervals).WithMessage($"At most {MaxIntervals} intervals");
        // Every interval is checked (the global cascade mode would stop at the first failing one), one detail per item.
        RuleForEach(x => x.Intervals).Cascade(CascadeMode.Continue).ChildRules(i =>
        {
            i.RuleFor(x => x.Weekday).NotNull().WithMessage("Weekday is required").InclusiveBetween(1, 7)
                .WithMessage("Weekday must be 1 (Monday) to 7 (Sunday)");
            i.RuleFor(x => x.Start).NotEmpty().WithMessage("Start is required")
                .Must(s => s is null || ClinicRules.ParseTime(s) is not null).WithMessage("Start must be a time written HH:mm");
            i.RuleFor(x => x.End).NotEmpty().WithMessage("End is required")
                .Must(e => e is null || ScheduleValidation.ParseHour(e) is not null).WithMessage("End must be a time written HH:mm (24:00 for midnight)")
                .Must((x, e) => ScheduleValidation.Minutes(x.Start) is not { } s || ScheduleValidation.Minutes(e) is not { } end || s < end)
                .WithMessage("End must be after start");
        });
        RuleForEach(x => x.Intervals).Cascade(CascadeMode.Continue)
            .Must((x, item) => !ScheduleValidation.OverlapsAnother(x.Intervals!, item))
            .WithMessage("The interval overlaps another interval of the same weekday");
    }
}

public sealed class CreateClosureValidator : AbstractValidator<CreateClosure>
{
    public CreateClosureValidator()
    {
        RuleFor(x => x.From).NotEmpty().WithMessage("From is required").IsDate();
        RuleFor(x => x.To).NotEmpty().WithMessage("To is required").IsDate()
            .Must((x, to) => ClinicRules.ParseDate(x.From) is not { } from || ClinicRules.ParseDate(to) is not { } end || end >= from)
            .WithMessage("To must not be before from");
        RuleFor(x => x.Reason).MaximumLength(200);
    }
}

public sealed class QueryClosuresValidator : AbstractValidator<QueryClosures>
{
    public QueryClosuresValidator()
    {
        RuleFor(x => x.From).IsDate();
        RuleFor(x => x.To).IsDate();
    }
}

public static class ScheduleValidation
{
    /// <summary>HH:mm, or 24:00 (midnight, as an end), which is kept as 00:00.</summary>
    public static TimeOnly? ParseHour(string? value) => value == "24:00" ? TimeOnly.MinValue : ClinicRules.ParseTime(value);

    /// <summary>Minutes from midnight; 24:00 is 1440.</summary>
    public static int? Minutes(string? value) =>
        value == "24:00" ? BookingRules.MinutesPerDay : ClinicRules.ParseTime(value) is { } t ? BookingRules.Minutes(t) : null;

    public static bool OverlapsAnother(IReadOnlyList<HoursInterval> all, HoursInterval item)
    {
        // An interval already refused for its own fields is not also named as overlapping.
        if (item.Weekday is not (>= 1 and <= 7) || Minutes(item.Start) is not { } s || Minutes(item.End) is not { } e || s >= e) return false;
        return all.Any(o => !ReferenceEquals(o, item) && o.Weekday == item.Weekday &&
                            Minutes(o.Start) is { } os && Minutes(o.End) is { } oe && os < oe && os < e && s < oe);
    }
}
