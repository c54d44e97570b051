using DentalClinic.ServiceModel;
using FluentValidation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace DentalClinic.ServiceInterface.Audit;

/// <summary>The audit log for admins: read-only — there is no endpoint that changes or deletes a row.</summary>
public static class AuditApi
{
    public static void MapAuditApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/admin/audit").WithTags("Audit").RequireAuthorization(Policies.Admin);

        group.MapGet("/", Query).WithName("QueryAuditLog")
            .WithSummary("Audit log, newest first; filter by table, entityId, userId, from (inclusive), to (exclusive)");
        group.MapGet("/verify", Verify).WithName("VerifyAuditLog")
            .WithSummary("Check the audit log's hash chain: the first row altered, removed or inserted out of band");
    }

    private static async Task<Ok<AuditVerification>> Verify(AuditChain chain, DentalClinic.ServiceInterface.Data.AppDbContext db, CancellationToken ct) =>
        TypedResults.Ok(await chain.VerifyAsync(db, ct));

    private static async Task<Ok<PagedResult<AuditEntryDto>>> Query([AsParameters] QueryAuditLog request, AuditLog audit, CancellationToken ct) =>
        TypedResults.Ok(await audit.QueryAsync(request, ct));
}

public sealed class QueryAuditLogValidator : AbstractValidator<QueryAuditLog>
{
    public QueryAuditLogValidator()
    {
        RuleFor(x => x.Table).MaximumLength(100);
        RuleFor(x => x.EntityId).MaximumLength(200);
        RuleFor(x => x.From).Must(BeATimestamp).When(x => x.From is not null)
            .WithMessage("From must be an ISO-8601 timestamp or date");
        RuleFor(x => x.To).Must(BeATimestamp).When(x => x.To is not null)
            .WithMessage("To must be an ISO-8601 timestamp or date");
        RuleFor(x => x.To).Must((q, to) => AuditLog.ParseTimestamp(q.From) < AuditLog.ParseTimestamp(to))
            .When(x => BeATimestamp(x.From) && BeATimestamp(x.To))
            .WithMessage("To must be later than from");
    }

    private static bool BeATimestamp(string? value) => AuditLog.ParseTimestamp(value) is not null;
}
