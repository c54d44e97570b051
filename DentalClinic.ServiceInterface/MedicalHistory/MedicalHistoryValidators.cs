using DentalClinic.ServiceInterface.Infrastructure;
using DentalClinic.ServiceModel;
using FluentValidation;

namespace DentalClinic.ServiceInterface.MedicalHistory;

/// <summary>PUT /api/medical-history/questions: the whole questionnaire as a JSON array; errors name <c>questions[i].field</c>.</summary>
public sealed class ReplaceQuestionsValidator : AbstractValidator<QuestionInput[]>
{
    public const int MaxQuestions = 200;

    public ReplaceQuestionsValidator()
    {
        RuleFor(x => x).MaxItems(MaxQuestions).OverridePropertyName("questions")
            .WithMessage($"A questionnaire holds at most {MaxQuestions} questions");
        // Every question is checked (a field stops at its first broken rule, the list does not).
        RuleForEach(x => x).Cascade(CascadeMode.Continue)
            .NotNull().WithMessage("A question is required")
            .SetValidator(new QuestionInputValidator())
            .OverridePropertyName("questions");
        RuleFor(x => x).Custom((items, context) =>
        {
            var orders = new HashSet<int>();
            var ids = new HashSet<Guid>();
            for (var i = 0; i < items.Length; i++)
            {
                if (items[i]?.Order is { } order && !orders.Add(order))
                    context.AddFailure($"questions[{i}].order", "Order must be unique");
                if (items[i]?.Id is { } id && !ids.Add(id))
                    context.AddFailure($"questions[{i}].id", "A question appears more than once");
            }
        });
    }
}

public sealed class QuestionInputValidator : AbstractValidator<QuestionInput>
{
    /// <summary>Options of a radio or checkbox question; text questions take none, and no other type is accepted.</summary>
    public const int MaxOptions = 50;

    public QuestionInputValidator()
    {
        RuleFor(x => x.Question).NotEmpty().WithMessage("Question is required").MaximumLength(1000);
        RuleFor(x => x.Type).NotEmpty().WithMessage("Type is required")
            .OneOf(QuestionTypes.All).WithMessage($"Type must be one of: {string.Join(", ", QuestionTypes.All)}");
        RuleFor(x => x.Order).NotNull().WithMessage("Order is required").InclusiveBetween(0, 100_000);

        When(x => QuestionTypes.HasOptions(x.Type), () =>
        {
            RuleFor(x => x.Options).NotNull().WithMessage("Radio and checkbox questions need options")
                .Must(o => o is null || o.Count(s => !string.IsNullOrWhiteSpace(s)) >= 2).WithMessage("At least 2 options are required")
                .Must(o => o is null || o.All(s => !string.IsNullOrWhiteSpace(s))).WithMessage("Options must not be empty")
                .Must(o => o is null || o.Select(s => s?.Trim()).Distinct().Count() == o.Count).WithMessage("Options must be distinct")
                .MaxItems(MaxOptions).WithMessage($"At most {MaxOptions} options")
                .Must(o => o is null || o.All(s => s is null || s.Trim().Length <= 200))
                .WithMessage("Each option is at most 200 characters");
        });
        When(x => x.Type is QuestionTypes.Text or QuestionTypes.Textarea, () =>
        {
            RuleFor(x => x.Options).Must(o => o is null || o.Count == 0).WithMessage("Text questions take no options");
        });
    }
}

public sealed class SubmitMedicalHistoryValidator : AbstractValidator<SubmitMedicalHistory>
{
    public SubmitMedicalHistoryValidator(TimeProvider clock)
    {
        RuleFor(x => x.DateOfBirth).NotNull().WithMessage("Date of birth is required")
            .Must(d => d is null || (d.Value.Year >= 1900 && d.Value <= DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime.AddDays(1))))
            .WithMessage("Date of birth must be a real past date");
        RuleFor(x => x.Signature).NotEmpty().WithMessage("Signature is required").MaximumLength(SignatureImage.MaxTextLength)
            .WithMessage("Signature must be at most 1 MB");
        RuleFor(x => x.Answers).NotNull().WithMessage("Answers are required")
            .MaxItems(ReplaceQuestionsValidator.MaxQuestions).WithMessage("Too many answers");
        RuleForEach(x => x.Answers).Cascade(CascadeMode.Continue).NotNull().WithMessage("An answer is required").ChildRules(answer =>
        {
            answer.RuleFor(a => a.QuestionId).NotNull().WithMessage("Question id is required");
            answer.RuleFor(a => a.Answer).NotNull().WithMessage("Answer is required");
        });
    }
}
