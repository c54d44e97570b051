using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace DentalClinic.ServiceInterface.Auth;

/// <summary>
/// Remembers for a few seconds that a bearer token's session was found valid, so that not every
/// request needs a database round trip. Any revocation made through this instance (logout, re-use of
/// a rotated refresh token, a password, role or active change) forgets everything at once; one made
/// by another instance takes effect here within <see cref="AuthOptions.SessionCacheTtl"/>
/// (0 turns the cache off). Only positive answers are kept.
/// </summary>
public sealed class SessionCache(IOptions<AuthOptions> options, TimeProvider clock)
{
    private const int MaxEntries = 100_000;
    private readonly TimeSpan ttl = options.Value.SessionCacheTtl;
    private readonly ConcurrentDictionary<string, (long Generation, DateTimeOffset Until)> valid = new();
    private long generation;

    /// <summary>Taken before the database is asked, and handed back to <see cref="RememberValid"/>: an answer
    /// that raced with a revocation is then never remembered.</summary>
    public long Generation => Interlocked.Read(ref generation);

    public bool IsKnownValid(string jti) =>
        ttl > TimeSpan.Zero && valid.TryGetValue(jti, out var entry) &&
        entry.Generation == Generation && entry.Until > clock.GetUtcNow();

    public void RememberValid(string jti, long askedAtGeneration)
    {
        if (ttl <= TimeSpan.Zero) return;
        if (valid.Count >= MaxEntries) valid.Clear();
        valid[jti] = (askedAtGeneration, clock.GetUtcNow() + ttl);
    }

    /// <summary>Called after a revocation has been committed.</summary>
    public void Invalidate()
    {
        Interlocked.Increment(ref generation);
        valid.Clear();
    }
}
