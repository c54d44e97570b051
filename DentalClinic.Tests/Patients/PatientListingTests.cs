using System.Net;
using System.Net.Http.Json;
using DentalClinic.ServiceModel;
using static DentalClinic.Tests.Patients.PatientTestData;

namespace DentalClinic.Tests.Patients;

/// <summary>The whole list, on a database of its own, so that every patient in it is this test's.</summary>
public sealed class PatientListingTests(string provider) : PatientsTest(provider)
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Test:Database"] = "patient-listing" };

    [Test]
    public async Task Forty_five_patients_in_pages_of_20_are_three_pages_in_name_order_while_patients_are_added()
    {
        // Four groups of namesakes (8, 15, 7 and 15 patients): the page ends fall inside groups, where the id decides.
        var created = new List<PatientDto>();
        foreach (var batch in Enumerable.Range(0, 45).Chunk(15))
            created.AddRange(await Task.WhenAll(batch.Select(i =>
                CreatePatientAsync(NewPatient(firstName: i % 3 == 0 ? "Anna" : "Zoe", lastName: i % 2 == 0 ? "Mueller" : "Muller")))));
        var expected = created
            .OrderBy(p => p.LastName, StringComparer.Ordinal).ThenBy(p => p.FirstName, StringComparer.Ordinal)
            .ThenBy(p => p.Id.ToString(), StringComparer.Ordinal)
            .Select(p => p.Id).ToList();

        var pages = new List<IReadOnlyList<PatientDto>>();
        var latecomers = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await QueryAsync("limit=20" + (cursor is null ? "" : "&cursor=" + cursor));
            pages.Add(page.Data);
            cursor = page.Pagination.NextCursor;
            Assert.That(page.Pagination.HasMore, Is.EqualTo(cursor is not null));
            // One newcomer sorts before everything read so far (it would shift an offset-based page),
            // one after everything (it shows up on the last page).
            await CreatePatientAsync(NewPatient(lastName: "Aaron" + Token(4)));
            latecomers.Add((await CreatePatientAsync(NewPatient(lastName: "Zz" + Token(4)))).Id);
        } while (cursor is not null && pages.Count < 10);

        var seen = pages.SelectMany(p => p).Select(p => p.Id).ToList();
        Assert.That(pages.Count, Is.EqualTo(3));
        Assert.That(pages.Take(2).Select(p => p.Count), Is.All.EqualTo(20));
        Assert.That(seen, Is.Unique);
        Assert.That(seen.Where(expected.Contains), Is.EqualTo(expected), "all 45, none missing, in last name, first name, id order");
        Assert.That(seen.Except(expected), Is.SubsetOf(latecomers), "only newcomers that sort after the read pages show up");
    }

    [Test]
    public async Task Archived_patients_leave_the_list()
    {
        var admin = await As(Roles.Admin);
        // Sorts before every other patient of this database, so it would be on the first page.
        var patient = await CreatePatientAsync(NewPatient(lastName: "Aaaa" + Token(4)));
        Assert.That((await QueryAsync("limit=1", admin)).Data.Single().Id, Is.EqualTo(patient.Id));
        Assert.That((await admin.DeleteAsync($"/api/patients/{patient.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That((await QueryAsync("limit=100", admin)).Data.Select(p => p.Id), Does.Not.Contain(patient.Id));
        Assert.That((await QueryAsync("limit=100&archived=true", admin)).Data.Select(p => p.Id), Does.Contain(patient.Id));
    }
}

/// <summary>Patients:DefaultPhoneRegion decides how a number without a leading + is read.</summary>
public sealed class PatientPhoneRegionTests(string provider) : PatientsTest(provider)
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Patients:DefaultPhoneRegion"] = "GB" };

    [Test]
    public async Task A_national_number_is_read_in_the_configured_region()
    {
        var local = $"07{Random.Shared.Next(100, 1000)} {Random.Shared.Next(100000, 1000000)}";
        var created = await CreatePatientAsync(NewPatient(mobile: local));
        Assert.That(created.MobileNumber, Is.EqualTo(local));

        var international = "+44 " + local[1..];
        var duplicate = await (await As(Roles.Staff)).PostAsJsonAsync("/api/patients", NewPatient(mobile: international));
        await AssertErrorAsync(duplicate, HttpStatusCode.Conflict, ErrorCodes.Conflict, "mobileNumber");

        var invalid = await (await As(Roles.Staff)).PostAsJsonAsync("/api/patients", NewPatient(mobile: "12345"));
        var error = await AssertErrorAsync(invalid, HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "mobileNumber");
        Assert.That(error.Details!.Single().Message, Does.Contain("GB"));

        Assert.That(await SearchIdsAsync(local.Replace(" ", "")), Is.EqualTo(new[] { created.Id }), "found by its national digits");
        Assert.That(await SearchIdsAsync("44" + local[1..].Replace(" ", "")), Is.EqualTo(new[] { created.Id }), "and by its international ones");
    }
}
