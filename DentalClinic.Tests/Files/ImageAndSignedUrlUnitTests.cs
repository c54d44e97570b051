using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using DentalClinic.ServiceInterface.Files;
using DentalClinic.ServiceInterface.MedicalHistory;
using DentalClinic.Tests.MedicalHistory;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace DentalClinic.Tests.Files;

/// <summary>Image checks and URL signing without HTTP, on a clock the test moves.</summary>
public sealed class ImageAndSignedUrlUnitTests
{
    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Test]
    public void Images_are_told_by_their_bytes()
    {
        Assert.That(ImageFormats.Detect(TestImages.Png()), Is.EqualTo(ImageFormats.Png));
        Assert.That(ImageFormats.Detect(TestImages.Jpeg), Is.EqualTo(ImageFormats.Jpeg));
        Assert.That(ImageFormats.Detect(TestImages.Gif), Is.Null);
        Assert.That(ImageFormats.Detect(TestImages.Svg), Is.Null);
        Assert.That(ImageFormats.Detect([]), Is.Null);
        Assert.That(ImageFormats.LooksComplete(TestImages.Png(), ImageFormats.Png), Is.True);
        Assert.That(ImageFormats.LooksComplete(TestImages.Png()[..^12], ImageFormats.Png), Is.False, "no IEND");
        Assert.That(ImageFormats.LooksComplete(TestImages.Png(0, 1), ImageFormats.Png), Is.False, "zero width");
        Assert.That(ImageFormats.LooksComplete(TestImages.Jpeg[..^2], ImageFormats.Jpeg), Is.False, "no EOI");
    }

    [Test]
    public void Signatures_are_data_urls_or_bare_base64_of_whole_png_or_jpeg_up_to_1_MB()
    {
        var png = TestImages.Png(5, 5);
        Assert.That(SignatureImage.Parse(TestImages.DataUrl(png)).Image?.Bytes, Is.EqualTo(png));
        Assert.That(SignatureImage.Parse(" " + Convert.ToBase64String(png) + " ").Image?.Format, Is.EqualTo(ImageFormats.Png));
        Assert.That(SignatureImage.Parse(TestImages.DataUrl(TestImages.Jpeg, "image/jpeg")).Image?.Format, Is.EqualTo(ImageFormats.Jpeg));
        Assert.That(SignatureImage.Parse("DATA:IMAGE/JPG;BASE64," + Convert.ToBase64String(TestImages.Jpeg)).Image?.Format, Is.EqualTo(ImageFormats.Jpeg));
        Assert.That(SignatureImage.Parse(TestImages.DataUrl(TestImages.PngOfSize(1024 * 1024))).Image, Is.Not.Null);

        Assert.That(SignatureImage.Parse(TestImages.DataUrl(TestImages.PngOfSize(1024 * 1024 + 1))).Error, Does.Contain("1 MB"));
        Assert.That(SignatureImage.Parse("data:image/png;base64," + new string('A', 1_500_000)).Error, Does.Contain("1 MB"));
        Assert.That(SignatureImage.Parse("data:text/html;base64,PGI+").Error, Does.Contain("data:image/png"));
        Assert.That(SignatureImage.Parse("@@@").Error, Does.Contain("base64"));
        Assert.That(SignatureImage.Parse(TestImages.DataUrl(TestImages.Svg, "image/png")).Error, Does.Contain("PNG or JPEG"));
        Assert.That(SignatureImage.Parse(TestImages.DataUrl(png, "image/jpeg")).Error, Does.Contain("declared"));
        Assert.That(SignatureImage.Parse(TestImages.DataUrl(png[..30])).Error, Does.Contain("damaged"));
    }

    [Test]
    public void Signed_urls_expire_and_refuse_any_change()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
        var signer = new UrlSigner(new byte[32], clock);
        var url = signer.Sign("signatures/a/b.png", TimeSpan.FromMinutes(5));
        Assert.That(url, Does.StartWith("/api/files/signatures/a/b.png?expires="));
        var query = System.Web.HttpUtility.ParseQueryString(url[url.IndexOf('?')..]);
        var (expires, signature) = (query["expires"], query["signature"]);

        Assert.That(signer.Verify("signatures/a/b.png", expires, signature), Is.EqualTo(SignedUrlCheck.Valid));
        Assert.That(signer.Verify("signatures/a/c.png", expires, signature), Is.EqualTo(SignedUrlCheck.Invalid));
        Assert.That(signer.Verify("signatures/a/b.png", (long.Parse(expires!) + 3600).ToString(), signature), Is.EqualTo(SignedUrlCheck.Invalid));
        Assert.That(signer.Verify("signatures/a/b.png", expires, (signature![0] == 'A' ? "B" : "A") + signature[1..]), Is.EqualTo(SignedUrlCheck.Invalid));
        Assert.That(signer.Verify("signatures/a/b.png", expires, "%%%"), Is.EqualTo(SignedUrlCheck.Invalid));
        Assert.That(signer.Verify("signatures/a/b.png", expires, null), Is.EqualTo(SignedUrlCheck.Invalid));
        Assert.That(signer.Verify("signatures/a/b.png", "-5", signature), Is.EqualTo(SignedUrlCheck.Invalid));
        Assert.That(new UrlSigner(new byte[] { 1 }, clock).Verify("signatures/a/b.png", expires, signature), Is.EqualTo(SignedUrlCheck.Invalid));

        clock.Now = clock.Now.AddMinutes(5);
        Assert.That(signer.Verify("signatures/a/b.png", expires, signature), Is.EqualTo(SignedUrlCheck.Valid), "valid through its last second");
        clock.Now = clock.Now.AddSeconds(1);
        Assert.That(signer.Verify("signatures/a/b.png", expires, signature), Is.EqualTo(SignedUrlCheck.Expired));
    }

    [Test]
    public void Public_urls_use_the_configured_base_or_the_listening_address_never_the_request()
    {
        IConfiguration Config(string? baseUrl) => new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Api:PublicBaseUrl"] = baseUrl }).Build();
        IServer Listening(params string[] addresses)
        {
            var feature = new ServerAddressesFeature();
            foreach (var address in addresses) feature.Addresses.Add(address);
            var features = new FeatureCollection();
            features.Set<IServerAddressesFeature>(feature);
            return new FakeServer(features);
        }

        Assert.That(new PublicUrls(Config("https://public.example/"), Listening("http://[::]:5080")).Absolute("/api/x"), Is.EqualTo("https://public.example/api/x"));
        Assert.That(new PublicUrls(Config(null), Listening("http://localhost:5080")).Absolute("/api/x"), Is.EqualTo("http://localhost:5080/api/x"));
        Assert.That(new PublicUrls(Config(null), Listening("http://[::]:8080")).Absolute("/api/x"), Is.EqualTo("http://localhost:8080/api/x"));
        Assert.That(new PublicUrls(Config(null), Listening("http://+:8080")).Absolute("/api/x"), Is.EqualTo("http://localhost:8080/api/x"));
        Assert.That(new PublicUrls(Config(null), Listening("http://0.0.0.0:80", "https://0.0.0.0:443")).Absolute("/api/x"), Is.EqualTo("https://localhost:443/api/x"));
        Assert.That(new PublicUrls(Config(null), Listening("http://127.0.0.1:41234")).Absolute("/api/x"), Is.EqualTo("http://127.0.0.1:41234/api/x"));
        Assert.That(new PublicUrls(Config(null), Listening("http://127.0.0.1:41234")).Absolute("https://s3.example/x"), Is.EqualTo("https://s3.example/x"));
        Assert.That(new PublicUrls(Config(null)).Absolute("/api/x"), Is.EqualTo("http://localhost/api/x"));
    }

    private sealed class FakeServer(IFeatureCollection features) : IServer
    {
        public IFeatureCollection Features => features;
        public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken) where TContext : notnull => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public void Dispose() { }
    }
}
