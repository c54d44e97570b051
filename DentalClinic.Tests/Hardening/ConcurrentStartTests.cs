using System.Net;
using System.Net.Http.Json;
using DentalClinic.ServiceInterface.Data;
using DentalClinic.ServiceModel;
using DentalClinic.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DentalClinic.Tests.Hardening;

/// <summary>
/// Two instances started at the same moment on a new, empty database (a first deployment behind a load balancer):
/// both migrate it and both look for the first admin. Both must start, and the clinic must have one admin.
/// </summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.Providers))]
public sealed class ConcurrentStartTests(string provider)
{
    [Test]
    public async Task Two_instances_starting_at_once_on_an_empty_database_both_start_with_one_first_admin()
    {
        var connectionString = TestDatabases.Create(provider);
        var starting = Enumerable.Range(0, 2).Select(_ => Task.Run(() => ApiFactory.StartOwn(provider, connectionString: connectionString))).ToList();
        try
        {
            await Task.WhenAll(starting);
            foreach (var instance in starting.Select(s => s.Result))
            {
                var client = instance.CreateClient();
                Assert.That((await client.GetAsync("/health/ready")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
                var login = await client.PostAsJsonAsync("/api/auth/login", new Login(ApiFactory.AdminEmail, ApiFactory.AdminPassword));
                Assert.That(login.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            }
            await using var scope = starting[0].Result.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            Assert.That(await db.Users.Select(u => u.Email).ToListAsync(), Is.EqualTo(new[] { ApiFactory.AdminEmail }));
        }
        finally
        {
            foreach (var start in starting.Where(s => s.IsCompletedSuccessfully)) await start.Result.DisposeAsync();
        }
    }
}
