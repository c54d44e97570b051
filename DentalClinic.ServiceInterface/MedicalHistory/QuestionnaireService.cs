using DentalClinic.ServiceInterface.Data;
using DentalClinic.ServiceInterface.Infrastructure;
using DentalClinic.ServiceModel;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;

namespace DentalClinic.ServiceInterface.MedicalHistory;

/// <summary>The questionnaire: read in order, replaced as a whole in one transaction.</summary>
public sealed class QuestionnaireService(AppDbContext db, TimeProvider clock)
{
    internal const string Lock = "medical-history:questions";

    public async Task<IReadOnlyList<QuestionDto>> GetAsync(CancellationToken ct) =>
        (await db.Set<MedicalHistoryQuestion>().AsNoTracking().Where(q => q.RetiredAt == null).OrderBy(q => q.Order).ToListAsync(ct))
        .Select(ToDto).ToList();

    /// <summary>
    /// Items with an id update that question, items without one are added, live questions missing from
    /// the list are retired (hidden; answers already given keep their own copy of the question).
    /// </summary>
    public async Task<IReadOnlyList<QuestionDto>> ReplaceAsync(QuestionInput[] items, CancellationToken ct)
    {
        await using var tx = await db.BeginLockedTransactionAsync(Lock, ct);
        var questions = db.Set<MedicalHistoryQuestion>();
        var liveIds = await questions.Where(q => q.RetiredAt == null).Select(q => q.Id).ToListAsync(ct);
        var unknown = items.Select((item, i) => (item.Id, i))
            .Where(x => x.Id is { } id && !liveIds.Contains(id))
            .Select(x => new FieldError($"questions[{x.i}].id", "No such question on the questionnaire"))
            .ToList();
        if (unknown.Count > 0)
            throw new ApiException(StatusCodes.Status400BadRequest, ErrorCodes.ValidationError, "Invalid input data", unknown);

        var live = await questions.Where(q => q.RetiredAt == null).ToDictionaryAsync(q => q.Id, ct);

        foreach (var item in items)
        {
            var question = item.Id is { } id ? live[id] : questions.Add(new MedicalHistoryQuestion { Question = "", Type = "" }).Entity;
            question.Question = item.Question!.Trim();
            question.Type = item.Type!;
            question.Options = QuestionTypes.HasOptions(item.Type) ? item.Options!.Select(o => o.Trim()).ToList() : null;
            question.Required = item.Required ?? false;
            question.Order = item.Order!.Value;
        }
        var keep = items.Where(i => i.Id is not null).Select(i => i.Id!.Value).ToHashSet();
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var retired in live.Values.Where(q => !keep.Contains(q.Id))) retired.RetiredAt = now;

        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return await GetAsync(ct);
    }

    internal static QuestionDto ToDto(MedicalHistoryQuestion q) =>
        new(q.Id, q.Question, q.Type, q.Options, q.Required, q.Order, q.CreatedAt, q.UpdatedAt);
}
