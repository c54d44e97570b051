using DentalClinic;

var builder = WebApplication.CreateBuilder(args);

builder.AddDatabase();
builder.AddAuth();
builder.AddApi();
builder.AddHealth();
builder.AddOpenApiDocs();
builder.AddJobs();

var app = builder.Build();

if (await app.RunCommandAsync(args)) return;

await app.PrepareDatabaseAsync();

app.UseApi();
app.UseAuthentication();
app.UseRateLimits();
app.UseAuthorization();
app.MapHealth();
app.MapOpenApiDocs();
app.MapJobs();
app.MapDentalClinicApi();

app.Run();

public partial class Program;
