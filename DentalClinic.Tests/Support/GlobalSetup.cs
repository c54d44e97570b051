[assembly: Parallelizable(ParallelScope.Fixtures)]
[assembly: LevelOfParallelism(4)]

namespace DentalClinic.Tests.Support;

[SetUpFixture]
public sealed class GlobalSetup
{
    [OneTimeTearDown]
    public async Task StopServers()
    {
        await ApiFactory.DisposeAllAsync();
        try { Directory.Delete(TestDatabases.TempDirectory, recursive: true); } catch (IOException) { }
    }
}
