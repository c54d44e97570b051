using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Json;
using DentalClinic.ServiceInterface.Data;
using DentalClinic.ServiceModel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DentalClinic.ServiceInterface.Infrastructure;

/// <summary>
/// Optimistic concurrency for records people edit, one mechanism for every feature: responses carry
/// an <c>ETag</c> (<see cref="WithETag{T}"/>), and a <c>PUT</c> with <c>If-Match</c>
/// (<see cref="RequireIfMatch"/>) runs in one transaction that first locks the record, reads its
/// current ETag and answers 412 PRECONDITION_FAILED when it differs — so the check and the update
/// are atomic: no other writer can change the record in between. Without <c>If-Match</c> a PUT
/// behaves as it always did.
/// A row's ETag is its <c>updated_at</c>; a document made of several rows (the settings, the
/// questionnaire) has the hash of its JSON representation, read under the lock its writers take.
/// </summary>
public static class Preconditions
{
    /// <summary>The ETag of a row, from its updated_at (microseconds, as stored).</summary>
    public static string Of(DateTime updatedAt) => $"\"{updatedAt.Ticks:x}\"";

    /// <summary>The ETag of a document, from its JSON representation.</summary>
    public static string OfJson<T>(T value) =>
        "\"" + Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(value, JsonSerializerOptions.Web)))[..32] + "\"";

    /// <summary>True when an If-Match header value (one or more ETags, weak or strong, or *) names <paramref name="current"/>.</summary>
    public static bool Matches(string ifMatch, string current)
    {
        foreach (var candidate in ifMatch.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (candidate == "*") return true;
            var tag = candidate.StartsWith("W/", StringComparison.Ordinal) ? candidate[2..] : candidate;
            if (string.Equals(tag, current, StringComparison.Ordinal)) return true;
        }
        return false;
    }

    /// <summary>
    /// The hook a feature adds to its route group: <paramref name="etagOf"/> gives the ETag of a response
    /// value (null: none), set on every successful response that carries one; every PUT of the group
    /// honours If-Match: in one transaction, <paramref name="lockName"/> is taken (the lock the record's
    /// other writers take; null for a row, which <see cref="Row"/> locks itself), <paramref name="current"/>
    /// reads the record's ETag, a mismatch is a 412, and the update runs and commits — or nothing does.
    /// A missing record is left to the handler (404).
    /// </summary>
    public static RouteGroupBuilder WithETags(this RouteGroupBuilder group, Func<object, string?> etagOf,
        Func<AppDbContext, HttpContext, CancellationToken, Task<string?>> current, string? lockName = null)
    {
        ((IEndpointConventionBuilder)group).Add(endpoint =>
        {
            if (endpoint.Metadata.OfType<HttpMethodMetadata>().Any(m => m.HttpMethods.Contains(HttpMethods.Put)))
                endpoint.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status412PreconditionFailed, typeof(ErrorResponse), ["application/json"]));
        });
        group.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var ifMatch = http.Request.Headers.IfMatch.ToString();
            if (!HttpMethods.IsPut(http.Request.Method) || string.IsNullOrWhiteSpace(ifMatch))
                return Tag(await next(context), http, etagOf);

            var ct = http.RequestAborted;
            var db = http.RequestServices.GetRequiredService<AppDbContext>();
            // A row is locked before the handler takes its feature's locks: the write-order lock exclusively (DbExtensions).
            await using var tx = lockName is null
                ? await db.BeginRecordTransactionAsync(ct)
                : await db.BeginLockedTransactionAsync(lockName, ct);
            var etag = await current(db, http, ct);
            if (etag is not null && !Matches(ifMatch, etag))
                throw new ApiException(StatusCodes.Status412PreconditionFailed, ErrorCodes.PreconditionFailed,
                    "The record was changed since you read it (If-Match does not match its ETag); read it again");
            var result = await next(context);
            if (Succeeded(result)) await tx.CommitAsync(ct);
            return Tag(result, http, etagOf);
        });
        return group;
    }

    private static object? Tag(object? result, HttpContext http, Func<object, string?> etagOf)
    {
        var inner = result is INestedHttpResult nested ? nested.Result : result;
        if (Succeeded(result) && inner is IValueHttpResult { Value: { } value } && etagOf(value) is { } etag)
            http.Response.Headers.ETag = etag;
        return result;
    }

    private static bool Succeeded(object? result) =>
        (result is INestedHttpResult nested ? nested.Result : result) is IStatusCodeHttpResult { StatusCode: null or (>= 200 and < 300) };

    /// <summary>The ETag of the row of <paramref name="table"/> whose id is the route's <c>id</c>, locked until the transaction ends.</summary>
    public static Func<AppDbContext, HttpContext, CancellationToken, Task<string?>> Row(string table) => async (db, http, ct) =>
    {
        if (!Guid.TryParse(http.Request.RouteValues["id"]?.ToString(), out var id)) return null;
        // The table name is a constant of the calling feature, never input.
        var sql = $"SELECT updated_at AS \"Value\" FROM {table} WHERE id = {{0}}" + (db.IsPostgres ? " FOR UPDATE" : "");
        var found = await db.Database.SqlQuery<DateTime>(FormattableStringFactory.Create(sql, id)).ToListAsync(ct);
        return found.Count == 0 ? null : Of(found[0]);
    };
}
