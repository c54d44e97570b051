using DentalClinic.ServiceInterface.Auth;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace DentalClinic.Tests.Foundation;

public sealed class SessionCacheTests
{
    private readonly FakeTimeProvider clock = new(DateTimeOffset.UtcNow);

    private SessionCache Cache(TimeSpan ttl) => new(Options.Create(new AuthOptions { SessionCacheTtl = ttl }), clock);

    [Test]
    public void A_valid_session_is_remembered_until_its_time_to_live_ends()
    {
        var cache = Cache(TimeSpan.FromSeconds(5));
        cache.RememberValid("a", cache.Generation);
        Assert.That(cache.IsKnownValid("a"), Is.True);
        Assert.That(cache.IsKnownValid("b"), Is.False);
        clock.Advance(TimeSpan.FromSeconds(6));
        Assert.That(cache.IsKnownValid("a"), Is.False);
    }

    [Test]
    public void A_revocation_forgets_everything_and_an_answer_that_raced_it_is_not_kept()
    {
        var cache = Cache(TimeSpan.FromSeconds(5));
        cache.RememberValid("a", cache.Generation);
        var askedAt = cache.Generation;      // a check starts…
        cache.Invalidate();                  // …a revocation commits meanwhile…
        cache.RememberValid("b", askedAt);   // …and the check's "valid" arrives late.
        Assert.That(cache.IsKnownValid("a"), Is.False);
        Assert.That(cache.IsKnownValid("b"), Is.False);
    }

    [Test]
    public void A_zero_time_to_live_turns_the_cache_off()
    {
        var cache = Cache(TimeSpan.Zero);
        cache.RememberValid("a", cache.Generation);
        Assert.That(cache.IsKnownValid("a"), Is.False);
    }
}
