using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace DentalClinic.ServiceInterface.Infrastructure;

/// <summary>
/// An EF Core compiled query (<c>EF.CompileAsyncQuery</c>) for each model it meets: a compiled query
/// belongs to one model, and a process can hold several (one per provider, one per test host).
/// For the few queries that run on nearly every screen, where building and looking up the LINQ
/// expression costs a noticeable part of the request.
/// </summary>
public sealed class CompiledQuery<TQuery>(Func<TQuery> compile) where TQuery : class
{
    private readonly ConditionalWeakTable<IModel, TQuery> byModel = new();

    public TQuery For(DbContext db) => byModel.GetValue(db.Model, _ => compile());
}
