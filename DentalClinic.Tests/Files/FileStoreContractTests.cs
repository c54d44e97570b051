using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using DentalClinic.ServiceInterface.Files;
using DentalClinic.ServiceModel;
using DentalClinic.Tests.MedicalHistory;
using DentalClinic.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace DentalClinic.Tests.Files;

/// <summary>
/// What every file store must do, run against the local store and against a real S3-compatible
/// server: storing, private signed URLs, and the logo over HTTP. Each store's fixture has its own
/// database (the logo is one per clinic) and its own files.
/// </summary>
public abstract class FileStoreContractTests(string provider) : ApiTest(provider)
{
    protected IFileStore Store => App.Services.GetRequiredService<IFileStore>();

    private UrlSigner Signer => App.Services.GetRequiredService<UrlSigner>();

    [Test]
    public async Task Files_round_trip_byte_for_byte_and_can_be_deleted()
    {
        var key = $"tests/{Guid.NewGuid():N}/image.png";
        var bytes = TestImages.Png(7, 5).Concat(RandomNumberGenerator.GetBytes(3000)).ToArray();
        Assert.That(await Store.ExistsAsync(key, default), Is.False);
        Assert.That(await Store.GetAsync(key, default), Is.Null);

        await Store.PutAsync(key, bytes, "image/png", default);
        Assert.That(await Store.ExistsAsync(key, default), Is.True);
        using (var file = (await Store.GetAsync(key, default))!)
        {
            Assert.That((file.ContentType, file.Length), Is.EqualTo(("image/png", (long)bytes.Length)));
            using var copy = new MemoryStream();
            await file.Content.CopyToAsync(copy);
            Assert.That(copy.ToArray(), Is.EqualTo(bytes));
        }

        var replacement = TestImages.Jpeg;
        await Store.PutAsync(key, replacement, "image/jpeg", default);
        using (var file = (await Store.GetAsync(key, default))!)
        {
            using var copy = new MemoryStream();
            await file.Content.CopyToAsync(copy);
            Assert.That(copy.ToArray(), Is.EqualTo(replacement));
        }

        await Store.DeleteAsync(key, default);
        Assert.That(await Store.ExistsAsync(key, default), Is.False);
        Assert.That(await Store.GetAsync(key, default), Is.Null);
        Assert.DoesNotThrowAsync(() => Store.DeleteAsync(key, default));
    }

    [Test]
    public async Task A_stream_is_stored_whole_and_files_are_listed_by_prefix_in_key_order()
    {
        var folder = $"tests/{Guid.NewGuid():N}";
        var big = RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 17);
        var path = Path.Combine(TestDatabases.TempDirectory, $"stream-{Guid.NewGuid():N}.bin");
        await File.WriteAllBytesAsync(path, big);
        await using (var file = File.OpenRead(path))
            await Store.PutAsync($"{folder}/b/big.bin", file, "application/octet-stream", default);
        await Store.PutAsync($"{folder}/a.png", TestImages.Png(), "image/png", default);
        await Store.PutAsync($"{folder}-other/c.png", TestImages.Png(), "image/png", default);

        using (var stored = (await Store.GetAsync($"{folder}/b/big.bin", default))!)
        {
            using var copy = new MemoryStream();
            await stored.Content.CopyToAsync(copy);
            Assert.That(copy.ToArray(), Is.EqualTo(big));
        }

        var listed = await Store.ListAsync(folder + "/", default);
        Assert.That(listed.Select(f => f.Key), Is.EqualTo(new[] { $"{folder}/a.png", $"{folder}/b/big.bin" }));
        Assert.That(listed[1].Length, Is.EqualTo(big.Length));
        Assert.That((await Store.ListAsync(folder, default)).Select(f => f.Key), Is.EqualTo(new[] { $"{folder}-other/c.png", $"{folder}/a.png", $"{folder}/b/big.bin" }));
        Assert.That(await Store.ListAsync($"nothing-{Guid.NewGuid():N}/", default), Is.Empty);

        await Store.DeleteAsync($"{folder}/a.png", default);
        Assert.That((await Store.ListAsync(folder + "/", default)).Select(f => f.Key), Is.EqualTo(new[] { $"{folder}/b/big.bin" }));
    }

    [TestCase("../outside.png")]
    [TestCase("a/../../outside.png")]
    [TestCase("/etc/passwd")]
    [TestCase("Upper/Case.png")]
    [TestCase("a//b.png")]
    [TestCase("")]
    public void Keys_that_could_escape_the_store_are_refused(string key)
    {
        Assert.ThrowsAsync<ArgumentException>(() => Store.PutAsync(key, [1], "image/png", default));
        Assert.ThrowsAsync<ArgumentException>(() => Store.GetAsync(key, default));
        Assert.Throws<ArgumentException>(() => Signer.Sign(key, TimeSpan.FromMinutes(1)));
    }

    [Test]
    public async Task A_signed_url_works_before_expiry_and_fails_when_tampered_with_or_expired()
    {
        var key = $"signatures/{Guid.NewGuid():N}/{Guid.NewGuid():N}.png";
        var other = $"signatures/{Guid.NewGuid():N}/{Guid.NewGuid():N}.png";
        var bytes = TestImages.Png(16, 4);
        await Store.PutAsync(key, bytes, "image/png", default);
        await Store.PutAsync(other, TestImages.Png(3, 3), "image/png", default);
        var http = Anonymous();

        var url = Signer.Sign(key, TimeSpan.FromMinutes(5));
        var ok = await http.GetAsync(url);
        Assert.That(ok.StatusCode, Is.EqualTo(HttpStatusCode.OK), await ok.Content.ReadAsStringAsync());
        Assert.That(await ok.Content.ReadAsByteArrayAsync(), Is.EqualTo(bytes));
        Assert.That(ok.Content.Headers.ContentType?.MediaType, Is.EqualTo("image/png"));

        Assert.That(ok.Headers.CacheControl?.NoStore, Is.True);

        // Unsigned, re-pointed at another file, or with an altered signature or expiry: refused.
        await AssertErrorAsync(await http.GetAsync(url[..url.IndexOf('?')]), HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        await AssertErrorAsync(await http.GetAsync(url.Replace(key, other)), HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        await AssertErrorAsync(await http.GetAsync(Tamper(url, "signature=")), HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        await AssertErrorAsync(await http.GetAsync(Tamper(url, "expires=")), HttpStatusCode.Forbidden, ErrorCodes.Forbidden);

        // Properly signed, but its time is up (signed as already past, rather than waiting for a short
        // lifetime to run out: on a busy machine the first request could outlast it).
        var expired = await AssertErrorAsync(await http.GetAsync(Signer.Sign(key, TimeSpan.FromSeconds(-2))), HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        Assert.That(expired.Message, Does.Contain("expired"));
    }

    /// <summary>Changes the first character of the value after the marker.</summary>
    private static string Tamper(string url, string marker)
    {
        var i = url.IndexOf(marker, StringComparison.Ordinal) + marker.Length;
        var replacement = url[i] == '9' ? '8' : url[i] is >= '0' and <= '8' ? (char)(url[i] + 1) : url[i] == 'A' ? 'B' : 'A';
        return url[..i] + replacement + url[(i + 1)..];
    }

    [Test]
    public async Task Logo_round_trips_byte_for_byte_public_cacheable_and_nosniff()
    {
        var dentist = await As(Roles.Dentist);
        var png = TestImages.Png(30, 10, shade: (byte)Random.Shared.Next(256));
        var uploaded = await ReadAsync<LogoDto>(await dentist.PutAsync("/api/settings/logo", LogoForm(png, "logo.svg", "image/svg+xml")));
        Assert.That((uploaded.ContentType, uploaded.Size), Is.EqualTo(("image/png", (long)png.Length)), "the bytes decide, not the name or declared type");
        Assert.That(uploaded.Url, Does.EndWith($"/api/settings/logo/{Convert.ToHexStringLower(SHA256.HashData(png))}.png"));
        Assert.That(uploaded.UpdatedAt, Is.EqualTo(DateTime.UtcNow).Within(TimeSpan.FromMinutes(2)));

        var staff = await As(Roles.Staff);
        Assert.That(await ReadAsync<LogoDto>(await staff.GetAsync("/api/settings/logo")), Is.EqualTo(uploaded));
        Assert.That((await ReadAsync<SettingsDto>(await staff.GetAsync("/api/settings"))).Logo, Is.EqualTo(uploaded));

        var download = await Anonymous().GetAsync(uploaded.Url);
        Assert.That(download.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await download.Content.ReadAsByteArrayAsync(), Is.EqualTo(png));
        Assert.That(download.Content.Headers.ContentType?.MediaType, Is.EqualTo("image/png"));
        Assert.That(download.Headers.GetValues("X-Content-Type-Options").Single(), Is.EqualTo("nosniff"));
        Assert.That(download.Headers.CacheControl?.Public, Is.True);
        Assert.That(download.Headers.CacheControl?.MaxAge, Is.GreaterThan(TimeSpan.FromDays(1)));

        var conditional = new HttpRequestMessage(HttpMethod.Get, uploaded.Url);
        conditional.Headers.IfNoneMatch.Add(download.Headers.ETag!);
        Assert.That((await Anonymous().SendAsync(conditional)).StatusCode, Is.EqualTo(HttpStatusCode.NotModified));

        // A JPEG replaces it; the public form shows the new one; the old file is gone.
        var jpeg = await ReadAsync<LogoDto>(await (await As(Roles.Admin)).PutAsync("/api/settings/logo", LogoForm(TestImages.Jpeg, "photo.png", "image/png")));
        Assert.That(jpeg.ContentType, Is.EqualTo("image/jpeg"));
        var jpegDownload = await Anonymous().GetAsync(jpeg.Url);
        Assert.That(await jpegDownload.Content.ReadAsByteArrayAsync(), Is.EqualTo(TestImages.Jpeg));
        Assert.That(jpegDownload.Content.Headers.ContentType?.MediaType, Is.EqualTo("image/jpeg"));
        await AssertErrorAsync(await Anonymous().GetAsync(uploaded.Url), HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await AssertErrorAsync(await Anonymous().GetAsync("/api/settings/logo/not-a-logo.png"), HttpStatusCode.NotFound, ErrorCodes.NotFound);

        var patientId = await TestPatients.CreateAsync(App);
        var link = await ReadAsync<MedicalHistoryLinkDto>(await staff.PostAsync($"/api/patients/{patientId}/medical-history-link", null), HttpStatusCode.Created);
        var form = await ReadAsync<MedicalHistoryForm>(await Anonymous().GetAsync($"/api/medical-history/{link.Token}"));
        Assert.That(form.Clinic.LogoUrl, Is.EqualTo(jpeg.Url));
    }

    [Test]
    public async Task A_logo_of_5_MB_is_accepted_and_one_byte_more_is_413_with_nothing_stored()
    {
        var dentist = await As(Roles.Dentist);
        var exactly = TestImages.PngOfSize((int)FileLimits.MaxLogoBytes);
        Assert.That(exactly, Has.Length.EqualTo(5 * 1024 * 1024));
        var accepted = await ReadAsync<LogoDto>(await dentist.PutAsync("/api/settings/logo", LogoForm(exactly, "big.png", "image/png")));
        Assert.That(accepted.Size, Is.EqualTo(FileLimits.MaxLogoBytes));

        var tooBig = TestImages.PngOfSize((int)FileLimits.MaxLogoBytes + 1);
        await AssertErrorAsync(await dentist.PutAsync("/api/settings/logo", LogoForm(tooBig, "big.png", "image/png")),
            HttpStatusCode.RequestEntityTooLarge, ErrorCodes.PayloadTooLarge);
        Assert.That(await Store.ExistsAsync($"logos/{Convert.ToHexStringLower(SHA256.HashData(tooBig))}.png", default), Is.False);
        Assert.That(await ReadAsync<LogoDto>(await dentist.GetAsync("/api/settings/logo")), Is.EqualTo(accepted));
    }

    [Test]
    public async Task Text_named_png_svg_and_gif_are_415_with_nothing_stored()
    {
        var dentist = await As(Roles.Dentist);
        var before = await dentist.GetAsync("/api/settings/logo");
        var beforeBody = await before.Content.ReadAsStringAsync();
        foreach (var (bytes, name, type) in new[]
                 {
                     ("just some text, not an image"u8.ToArray(), "logo.png", "image/png"),
                     (TestImages.Svg, "logo.svg", "image/svg+xml"),
                     (TestImages.Svg, "logo.png", "image/png"),
                     (TestImages.Gif, "logo.gif", "image/gif"),
                     (TestImages.Gif, "logo.jpg", "image/jpeg"),
                 })
        {
            await AssertErrorAsync(await dentist.PutAsync("/api/settings/logo", LogoForm(bytes, name, type)),
                HttpStatusCode.UnsupportedMediaType, ErrorCodes.UnsupportedMediaType);
            Assert.That(await Store.ExistsAsync($"logos/{Convert.ToHexStringLower(SHA256.HashData(bytes))}.png", default), Is.False);
        }
        var after = await dentist.GetAsync("/api/settings/logo");
        Assert.That((after.StatusCode, await after.Content.ReadAsStringAsync()), Is.EqualTo((before.StatusCode, beforeBody)));
    }

    [Test]
    public async Task Logo_upload_needs_a_clinician_a_multipart_file_and_a_whole_image()
    {
        var png = TestImages.Png();
        await AssertErrorAsync(await (await As(Roles.Staff)).PutAsync("/api/settings/logo", LogoForm(png, "a.png", "image/png")), HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        await AssertErrorAsync(await Anonymous().PutAsync("/api/settings/logo", LogoForm(png, "a.png", "image/png")), HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);

        var dentist = await As(Roles.Dentist);
        var wrongField = new MultipartFormDataContent { { new ByteArrayContent(png), "image", "a.png" } };
        await AssertErrorAsync(await dentist.PutAsync("/api/settings/logo", wrongField), HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "file");
        await AssertErrorAsync(await dentist.PutAsync("/api/settings/logo", LogoForm([], "a.png", "image/png")), HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "file");
        await AssertErrorAsync(await dentist.PutAsync("/api/settings/logo", LogoForm(png[..40], "a.png", "image/png")), HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "file");
        await AssertErrorAsync(await dentist.PutAsJsonAsync("/api/settings/logo", new { file = Convert.ToBase64String(png) }),
            HttpStatusCode.UnsupportedMediaType, ErrorCodes.UnsupportedMediaType);
        var broken = new StringContent("--x\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nno end");
        broken.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=x");
        await AssertErrorAsync(await dentist.PutAsync("/api/settings/logo", broken), HttpStatusCode.BadRequest, ErrorCodes.BadRequest);
    }

    private static MultipartFormDataContent LogoForm(byte[] bytes, string fileName, string contentType)
    {
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return new MultipartFormDataContent { { file, "file", fileName } };
    }
}

public sealed class LocalFileStoreTests(string provider) : FileStoreContractTests(provider)
{
    protected override IReadOnlyDictionary<string, string?> Settings => FeatureSettings.For("files-local", Provider);

    [Test]
    public async Task Local_files_live_under_the_configured_root_and_nowhere_is_served_statically()
    {
        var key = $"tests/{Guid.NewGuid():N}.png";
        await Store.PutAsync(key, TestImages.Png(), "image/png", default);
        Assert.That(File.Exists(Path.Combine(Settings["Files:Local:Root"]!, key)), Is.True);
        await AssertErrorAsync(await Anonymous().GetAsync("/" + key), HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await AssertErrorAsync(await Anonymous().GetAsync("/api/files/" + key), HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        await AssertErrorAsync(await Anonymous().GetAsync("/api/files/Bad..Key?expires=1&signature=x"), HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await AssertErrorAsync(await Anonymous().GetAsync("/api/files/" + key + "?expires=soon&signature=x"), HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        await AssertErrorAsync(await Anonymous().GetAsync("/api/files/" + key + "?expires=99999999999&signature=%%%"), HttpStatusCode.Forbidden, ErrorCodes.Forbidden);

        // A validly signed URL to a file that is gone is 404.
        var url = App.Services.GetRequiredService<UrlSigner>().Sign(key, TimeSpan.FromMinutes(1));
        await Store.DeleteAsync(key, default);
        await AssertErrorAsync(await Anonymous().GetAsync(url), HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }
}

/// <summary>
/// The same contract against a real S3-compatible server: s3rver, started by ./test.sh, which
/// exports TEST_S3_ENDPOINT. Without it these tests fail; they are never skipped.
/// </summary>
public sealed class S3FileStoreTests(string provider) : FileStoreContractTests(provider)
{
    private static readonly string RunId = Guid.NewGuid().ToString("N")[..10];

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(FeatureSettings.For("files-s3", Provider))
    {
        ["Files:Provider"] = "S3",
        ["Files:S3:ServiceUrl"] = Environment.GetEnvironmentVariable("TEST_S3_ENDPOINT") is { Length: > 0 } endpoint
            ? endpoint
            : throw new InvalidOperationException("TEST_S3_ENDPOINT is not set: run the suite with ./test.sh, which starts s3rver, or point it at an S3-compatible server."),
        ["Files:S3:Bucket"] = $"dentalclinic-{Provider.ToLowerInvariant()}-{RunId}",
        ["Files:S3:AccessKey"] = Environment.GetEnvironmentVariable("TEST_S3_ACCESS_KEY") ?? "S3RVER",
        ["Files:S3:SecretKey"] = Environment.GetEnvironmentVariable("TEST_S3_SECRET_KEY") ?? "S3RVER",
        ["Files:S3:ForcePathStyle"] = "true",
    };

    [OneTimeSetUp]
    public async Task CreateBucket()
    {
        var s3 = App.Services.GetRequiredService<IAmazonS3>();
        try
        {
            await s3.PutBucketAsync(new PutBucketRequest { BucketName = Settings["Files:S3:Bucket"] });
        }
        catch (AmazonS3Exception e) when (e.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
        {
        }
    }

    [Test]
    public async Task Objects_are_written_whole_with_their_content_type()
    {
        // UseChunkEncoding = false: the object holds exactly the bytes, no chunk-signature framing.
        var key = $"tests/{Guid.NewGuid():N}.jpg";
        await Store.PutAsync(key, TestImages.Jpeg, "image/jpeg", default);
        var s3 = App.Services.GetRequiredService<IAmazonS3>();
        using var response = await s3.GetObjectAsync(Settings["Files:S3:Bucket"], key);
        using var copy = new MemoryStream();
        await response.ResponseStream.CopyToAsync(copy);
        Assert.That(copy.ToArray(), Is.EqualTo(TestImages.Jpeg));
        Assert.That(response.Headers.ContentType, Is.EqualTo("image/jpeg"));
    }
}
