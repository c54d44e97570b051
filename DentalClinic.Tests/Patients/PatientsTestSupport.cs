using System.Net;
using System.Net.Http.Json;
using DentalClinic.ServiceInterface.Data;
using DentalClinic.ServiceModel;
using DentalClinic.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace DentalClinic.Tests.Patients;

/// <summary>Unique names and numbers, so that tests sharing a database never see each other's patients.</summary>
internal static class PatientTestData
{
    /// <summary>A random word of lower-case letters; tests build names from it and search for it.</summary>
    public static string Token(int length = 10) =>
        new(Enumerable.Range(0, length).Select(_ => (char)('a' + Random.Shared.Next(26))).ToArray());

    public static string Name(string token) => char.ToUpperInvariant(token[0]) + token[1..];

    /// <summary>A US number in the specification's format, e.g. <c>+1 (555) 123-4567</c>.</summary>
    public static string Mobile() =>
        $"+1 ({Random.Shared.Next(201, 990)}) {Random.Shared.Next(200, 1000)}-{Random.Shared.Next(0, 10000):D4}";

    /// <summary>The digits of a number as <see cref="Mobile"/> writes it, without the country code.</summary>
    public static string NationalDigits(string mobile) => new(mobile[2..].Where(char.IsAsciiDigit).ToArray());

    public static CreatePatient NewPatient(string? firstName = null, string? lastName = null, string? mobile = null,
        string? email = null, string? dateOfBirth = null) =>
        new(firstName ?? Name(Token()), lastName ?? Name(Token()), mobile ?? Mobile(), email, dateOfBirth);
}

/// <summary>Patients tests: helpers to create patients and to look into the database.</summary>
public abstract class PatientsTest(string provider) : ApiTest(provider)
{
    protected async Task<PatientDto> CreatePatientAsync(CreatePatient patient, HttpClient? client = null)
    {
        var response = await (client ?? await As(Roles.Staff)).PostAsJsonAsync("/api/patients", patient);
        return await ReadAsync<PatientDto>(response, HttpStatusCode.Created);
    }

    protected async Task<PagedResult<PatientDto>> QueryAsync(string query, HttpClient? client = null) =>
        await ReadAsync<PagedResult<PatientDto>>(await (client ?? await As(Roles.Staff)).GetAsync("/api/patients?" + query));

    protected async Task<List<Guid>> SearchIdsAsync(string search) =>
        (await QueryAsync("limit=100&search=" + Uri.EscapeDataString(search))).Data.Select(p => p.Id).ToList();

    protected async Task<T> WithDbAsync<T>(Func<AppDbContext, Task<T>> action)
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }
}
