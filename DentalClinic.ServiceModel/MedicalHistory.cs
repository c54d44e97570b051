using System.Text.Json;

namespace DentalClinic.ServiceModel;

public static class QuestionTypes
{
    public const string Text = "text";
    public const string Radio = "radio";
    public const string Checkbox = "checkbox";
    public const string Textarea = "textarea";

    public static readonly IReadOnlyList<string> All = [Text, Radio, Checkbox, Textarea];

    public static bool HasOptions(string? type) => type is Radio or Checkbox;
}

/// <summary>One item of PUT /api/medical-history/questions: with an id it updates that question, without one it adds a question.</summary>
public record QuestionInput(Guid? Id, string? Question, string? Type, IReadOnlyList<string>? Options, bool? Required, int? Order);

public record QuestionDto(
    Guid Id,
    string Question,
    string Type,
    IReadOnlyList<string>? Options,
    bool Required,
    int Order,
    DateTime CreatedAt,
    DateTime UpdatedAt);

/// <summary>POST /api/patients/{id}/medical-history-link. Defaults: 72 hours, no SMS.</summary>
public record CreateMedicalHistoryLink(int? ExpiresInHours, bool? SendSms);

/// <summary>The link, shown once: only its hash is kept. <c>sms</c> is set when an SMS was queued.</summary>
public record MedicalHistoryLinkDto(string Token, string Url, DateTime ExpiresAt, SmsMessageStatus? Sms);

/// <summary>A queued text message; <c>status</c> is pending until the delivery job sends it.</summary>
public record SmsMessageStatus(Guid Id, string Status, string To);

/// <summary>A patient's link as the front desk sees it later (never its token): was it used, did its SMS go out?</summary>
public record MedicalHistoryLinkStatus(Guid Id, DateTime CreatedAt, DateTime ExpiresAt, DateTime? UsedAt, bool Locked, SmsDelivery? Sms);

/// <summary>
/// Delivery of a queued SMS: pending | sending | sent | logged (the development provider `Log` wrote it to
/// the log; nothing left the machine) | failed.
/// </summary>
public record SmsDelivery(Guid Id, string Status, int Attempts, DateTime? SentAt, string? LastError);

/// <summary>What the patient sees behind a link (GET /api/medical-history/{token}, no sign-in).</summary>
public record MedicalHistoryForm(FormPatient Patient, FormClinic Clinic, IReadOnlyList<FormQuestion> Questions, DateTime ExpiresAt);

public record FormPatient(string FirstName);

public record FormClinic(string Name, string? LogoUrl);

public record FormQuestion(Guid Id, string Question, string Type, IReadOnlyList<string>? Options, bool Required, int Order);

/// <summary>
/// POST /api/medical-history/{token}. <c>signature</c>: a data:image/png;base64, or data:image/jpeg;base64,
/// URL, or bare base64 of a PNG or JPEG (at most 1 MB). <c>answer</c>: a string, or an array of strings for checkbox questions.
/// </summary>
public record SubmitMedicalHistory(DateOnly? DateOfBirth, string? Signature, IReadOnlyList<AnswerInput>? Answers);

public record AnswerInput(Guid? QuestionId, JsonElement? Answer);

public record MedicalHistorySubmitted(Guid Id, DateTime SubmittedAt);

/// <summary>A signed questionnaire as staff read it: answers with the questions as they were answered.</summary>
public record MedicalHistorySubmissionDto(
    Guid Id,
    Guid PatientId,
    DateTime SubmittedAt,
    DateOnly DateOfBirth,
    string SignatureUrl,
    DateTime SignatureUrlExpiresAt,
    string SubmissionHash,
    IReadOnlyList<AnsweredQuestion> Answers);

public record AnsweredQuestion(Guid QuestionId, string Question, string Type, IReadOnlyList<string>? Options, int Order, JsonElement Answer);
