using System.Net;
using DentalClinic.ServiceModel;
using DentalClinic.Tests.Support;

namespace DentalClinic.Tests.Scheduling;

/// <summary>
/// 20 bookings at once racing for one dentist, one chair, one patient or the last free chair:
/// exactly one wins each time — through one API instance, and through two instances over one database.
/// </summary>
public sealed class BookingConcurrencyTests(string provider) : ConfiguredClinicTest(provider)
{
    private const int Racers = 20;
    private ApiFactory? second;

    [OneTimeTearDown]
    public async Task StopSecondInstanceAsync()
    {
        if (second is not null) await second.DisposeAsync();
    }

    /// <summary>Clients alternating between this fixture's application and, when asked, a second instance over the same database.</summary>
    private async Task<HttpClient[]> ClientsAsync(bool twoInstances)
    {
        var token = (await LoginAsync(ApiFactory.AdminEmail, ApiFactory.AdminPassword)).AccessToken;
        var one = WithToken(token);
        if (!twoInstances) return [one];
        second ??= ApiFactory.StartOwn(Provider, Settings, App.ConnectionString);
        var other = second.CreateClient();
        other.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return [one, other];
    }

    private static async Task AssertOneWinsAsync(HttpResponseMessage[] responses, string rule)
    {
        Assert.That(responses.Count(r => r.StatusCode == HttpStatusCode.Created), Is.EqualTo(1),
            string.Join(", ", responses.Select(r => (int)r.StatusCode)));
        foreach (var r in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
        {
            var error = await AssertErrorAsync(r, HttpStatusCode.Conflict, ErrorCodes.Conflict, "rule");
            Assert.That(error.Details!.Single(d => d.Field == "rule").Message, Is.EqualTo(rule));
        }
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task Only_one_of_twenty_concurrent_bookings_gets_the_same_dentist(bool twoInstances)
    {
        var clients = await ClientsAsync(twoInstances);
        var (lee, _) = await CreateDentistAsync();
        var chairs = await CreateChairsAsync(Racers);
        var type = await CreateTypeAsync(duration: 30);
        var patients = await Task.WhenAll(Enumerable.Range(0, Racers).Select(_ => CreatePatientAsync()));
        var date = FreshDate();
        var responses = await Task.WhenAll(Enumerable.Range(0, Racers).Select(i =>
            BookWithAsync(clients[i % clients.Length], patients[i], type.Id, date, i % 2 == 0 ? "10:00" : "10:15", lee, chairs[i].Id)));
        await AssertOneWinsAsync(responses, BookingRuleNames.Dentist);
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task Only_one_of_twenty_concurrent_bookings_gets_the_same_chair(bool twoInstances)
    {
        var clients = await ClientsAsync(twoInstances);
        var chairs = await CreateChairsAsync(Racers);
        var type = await CreateTypeAsync(duration: 30);
        var patients = await Task.WhenAll(Enumerable.Range(0, Racers).Select(_ => CreatePatientAsync()));
        var date = FreshDate();
        var responses = await Task.WhenAll(Enumerable.Range(0, Racers).Select(i =>
            BookWithAsync(clients[i % clients.Length], patients[i], type.Id, date, i % 2 == 0 ? "10:00" : "10:15", chair: chairs[0].Id)));
        await AssertOneWinsAsync(responses, BookingRuleNames.Chair);
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task Only_one_of_twenty_concurrent_bookings_gets_the_same_patient(bool twoInstances)
    {
        var clients = await ClientsAsync(twoInstances);
        var chairs = await CreateChairsAsync(Racers);
        var type = await CreateTypeAsync(duration: 30);
        var patient = await CreatePatientAsync();
        var date = FreshDate();
        var responses = await Task.WhenAll(Enumerable.Range(0, Racers).Select(i =>
            BookWithAsync(clients[i % clients.Length], patient, type.Id, date, i % 2 == 0 ? "10:00" : "10:15", chair: chairs[i].Id)));
        await AssertOneWinsAsync(responses, BookingRuleNames.Patient);
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task Only_one_of_twenty_concurrent_bookings_gets_the_last_free_chair(bool twoInstances)
    {
        var clients = await ClientsAsync(twoInstances);
        await CreateChairsAsync(2);
        var type = await CreateTypeAsync(duration: 30);
        var date = FreshDate();
        await ReadAsync<AppointmentDto>(await BookWithAsync(clients[0], await CreatePatientAsync(), type.Id, date, "10:00"), HttpStatusCode.Created);
        var patients = await Task.WhenAll(Enumerable.Range(0, Racers).Select(_ => CreatePatientAsync()));
        var responses = await Task.WhenAll(Enumerable.Range(0, Racers).Select(i =>
            BookWithAsync(clients[i % clients.Length], patients[i], type.Id, date, i % 2 == 0 ? "10:00" : "10:15")));
        await AssertOneWinsAsync(responses, BookingRuleNames.Capacity);
    }
}
