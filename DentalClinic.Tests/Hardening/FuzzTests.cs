using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DentalClinic.ServiceModel;
using DentalClinic.Tests.MedicalHistory;
using DentalClinic.Tests.Support;

namespace DentalClinic.Tests.Hardening;

/// <summary>
/// A schemathesis-like fuzzer driven by the API's own OpenAPI document (issue 13, item 5): seeded,
/// bounded, over loopback, against an application of its own with rate limits raised. Each request
/// picks an operation, fills its path, query and body from the schemas — mostly plausible values
/// (ids the API handed out earlier, dates, phone numbers) and, often, hostile ones (control
/// characters, lone surrogates, 10,000 characters, wrong types, huge numbers, broken JSON, other
/// charsets) — and every answer must be below 500 and, when it is an error, the JSON envelope.
/// FUZZ_REQUESTS (default 600 per provider) and FUZZ_SEED (default 13) change the run;
/// bench/fuzz.sh runs 10,000 per provider.
/// </summary>
[NonParallelizable]
public class FuzzTests(string provider) : ApiTest(provider)
{
    private static int Requests => int.TryParse(Environment.GetEnvironmentVariable("FUZZ_REQUESTS"), out var n) ? n : 600;
    private static int Seed => int.TryParse(Environment.GetEnvironmentVariable("FUZZ_SEED"), out var n) ? n : 13;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["RateLimits:MedicalHistoryPerIpPerMinute"] = "1000000",
        ["RateLimits:PerUserPerMinute"] = "1000000",
        ["RateLimits:LoginPerIpPerMinute"] = "1000000",
        ["Auth:MaxLoginFailures"] = "1000000",
        ["Backups:Cron"] = "",
        ["Fuzz"] = "own application and database",
    };

    [Test]
    public async Task No_input_reaches_a_5xx_and_every_error_is_the_envelope()
    {
        var random = new Random(Seed);
        var client = Anonymous();
        client.Timeout = TimeSpan.FromSeconds(60);
        var document = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!;
        var operations = Operations(document).ToList();
        Assert.That(operations, Has.Count.GreaterThan(40));

        var fuzzer = new Fuzzer(random, document);
        var token = (await LoginAsync(ApiFactory.AdminEmail, ApiFactory.AdminPassword)).AccessToken;
        var me = await ReadAsync<UserDto>(await WithToken(token).GetAsync("/api/auth/me"));
        fuzzer.Protected.Add(me.Id.ToString());

        var statuses = new SortedDictionary<int, int>();
        var failures = new List<string>();
        for (var i = 0; i < Requests; i++)
        {
            var operation = operations[random.Next(operations.Count)];
            using var request = fuzzer.Build(operation, token);
            var summary = $"#{i} {request.Method} {request.RequestUri}";
            HttpResponseMessage response;
            try { response = await client.SendAsync(request); }
            catch (Exception e) { failures.Add($"{summary}: no answer ({e.GetType().Name}: {e.Message})"); continue; }

            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            var body = await response.Content.ReadAsStringAsync();
            if (status >= 500) failures.Add($"{summary} [{fuzzer.LastBody}] → {status} {body}");
            else if (status >= 400 && EnvelopeProblem(response, body) is { } problem) failures.Add($"{summary} [{fuzzer.LastBody}] → {status}: {problem}: {body}");
            else if (status < 300) fuzzer.Harvest(body);

            // The fuzzer may end its own session (logout, a refresh-token reuse): sign in again.
            if (status == 401 && request.Headers.Authorization?.Parameter == token && !operation.Anonymous)
                token = (await LoginAsync(ApiFactory.AdminEmail, ApiFactory.AdminPassword)).AccessToken;
        }

        TestContext.Out.WriteLine($"{Provider}: {Requests} requests (seed {Seed}); statuses: " +
                                  string.Join(", ", statuses.Select(s => $"{s.Key}×{s.Value}")));
        Assert.That(failures, Is.Empty, string.Join("\n", failures.Take(20)));
        Assert.That(App.Logs.Entries.Where(e => e.Contains("Unhandled exception")), Is.Empty);
    }

    /// <summary>Null when the response is the error envelope, else what is wrong with it.</summary>
    private static string? EnvelopeProblem(HttpResponseMessage response, string body)
    {
        if (response.Content.Headers.ContentType?.MediaType != "application/json") return $"content type {response.Content.Headers.ContentType}";
        try
        {
            var error = JsonNode.Parse(body)?["error"];
            if (error?["code"]?.GetValueKind() != JsonValueKind.String) return "no error.code";
            if (error["message"]?.GetValueKind() != JsonValueKind.String) return "no error.message";
            if (error["details"] is { } details && details.GetValueKind() != JsonValueKind.Array) return "error.details is not an array";
            return null;
        }
        catch (JsonException) { return "not JSON"; }
    }

    public sealed record Operation(string Method, string Path, JsonObject Spec, bool Anonymous);

    private static IEnumerable<Operation> Operations(JsonNode document)
    {
        foreach (var (path, item) in document["paths"]!.AsObject())
            foreach (var (method, spec) in item!.AsObject())
            {
                if (method is not ("get" or "post" or "put" or "delete" or "patch")) continue;
                var anonymous = spec!["security"] is not JsonArray { Count: > 0 };
                yield return new Operation(method.ToUpperInvariant(), path, spec.AsObject(), anonymous);
            }
    }

    /// <summary>Builds requests from the document's schemas; remembers ids and tokens the API answers with.</summary>
    private sealed class Fuzzer(Random random, JsonNode document)
    {
        private readonly List<string> ids = [];
        private readonly List<string> tokens = [];
        /// <summary>Ids never used in a path: the fuzzer's own user (deactivating it would end the run's session for good).</summary>
        public HashSet<string> Protected { get; } = [];
        public string LastBody { get; private set; } = "";

        private static readonly string[] HostileStrings =
        [
            "", " ", "a\u0000b", "\u0000", "\u0001\u0002", "tab\there", "line\nbreak", "\u007f", "\u0085", "\u2028", "\ufeff",
            "\ud800", "x\udc00y", "😀", "é", new string('a', 10_000), new string('é', 3_000), "' OR 1=1 --", "\"; DROP TABLE patients; --",
            "<script>alert(1)</script>", "../../etc/passwd", "%00", "%", "null", "undefined", "NaN", "-1", "0", "1e309",
            "2025-02-30", "2025-13-01", "0000-00-00", "9999-12-31", "25:61", "24:00", "-00:01", "+", "+1", "+99999999999999999999",
            "00000000-0000-0000-0000-000000000000", "not-a-uuid", "#GGGGGG", "${jndi:ldap://x}", "{{7*7}}", "\\", "/", "?",
        ];

        private static readonly JsonNode?[] HostileValues =
        [
            null, true, false, 0, -1, 2147483648L, -2147483649L, 9007199254740993L, 1e308, -1e308, 0.001, 0.005, 1.005, 123.456,
            new JsonArray(), new JsonObject(), new JsonArray(1, "a", null), new JsonObject { ["a"] = 1 },
        ];

        public HttpRequestMessage Build(Operation operation, string token)
        {
            var hostile = random.NextDouble() < 0.6;
            var path = operation.Path;
            var query = new List<string>();
            foreach (var parameter in operation.Spec["parameters"] as JsonArray ?? [])
            {
                var name = parameter!["name"]!.GetValue<string>();
                var schema = parameter["schema"];
                if (parameter["in"]!.GetValue<string>() == "path")
                    path = path.Replace("{" + name + "}", PathValue(name, schema, hostile));
                else if (random.NextDouble() < 0.5)
                    query.Add($"{Uri.EscapeDataString(name)}={Uri.EscapeDataString(QueryValue(name, schema, hostile))}");
            }
            if (hostile && random.NextDouble() < 0.15)
                query.Add($"{Uri.EscapeDataString(Pick(HostileStrings))}={Uri.EscapeDataString(Pick(HostileStrings))}");
            var uri = path + (query.Count > 0 ? "?" + string.Join("&", query) : "");

            var request = new HttpRequestMessage(new HttpMethod(operation.Method), uri);
            var auth = random.NextDouble();
            if (auth < 0.9) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            else if (auth < 0.95) request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + Pick(["x", "a.b.c", token[..^2] + "xx", token + ".x"]));

            LastBody = "";
            var content = operation.Spec["requestBody"]?["content"]?.AsObject();
            if (content is null)
            {
                if (hostile && random.NextDouble() < 0.1) request.Content = Raw("{\"unexpected\":true}", "application/json");
            }
            else if (content.ContainsKey("multipart/form-data"))
            {
                var bytes = random.NextDouble() < 0.5 ? TestImages.Png(shade: (byte)random.Next(256)) : RandomBytes(random.Next(0, 2048));
                request.Content = new MultipartFormDataContent { { new ByteArrayContent(bytes), Pick(["file", "logo", "x"]), Pick(["a.png", "b.jpg", "c.svg", "..%2f"]) } };
                LastBody = $"multipart {bytes.Length} bytes";
            }
            else
            {
                var schema = content["application/json"]?["schema"];
                request.Content = JsonBody(schema, hostile);
            }
            return request;
        }

        private HttpContent JsonBody(JsonNode? schema, bool hostile)
        {
            if (hostile)
            {
                switch (random.Next(14))
                {
                    case 0: LastBody = "broken JSON"; return Raw(Pick(["{", "{\"a\":", "[1,2", "nul", "\"\\ud800\"", "{\"a\":1}}", "\u0000"]), "application/json");
                    case 1: LastBody = "empty"; return Raw("", "application/json");
                    case 2: LastBody = "text/plain"; return Raw("{}", Pick(["text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data"]));
                    case 3: LastBody = "charset"; return Raw("{}", "application/json; charset=" + Pick(["utf-7", "ebcdic", "x-unknown", "utf-16", "\"\""]));
                    case 4: LastBody = "deep nesting"; return Raw(new string('[', 5_000) + new string(']', 5_000), "application/json");
                    case 5: LastBody = "wrong top-level type"; return Raw(Pick(["[]", "1", "\"x\"", "null", "true"]), "application/json");
                }
            }
            var value = Value(schema, "", hostile, 0);
            var json = value?.ToJsonString() ?? "null";
            LastBody = json.Length > 300 ? json[..300] + "…" : json;
            return Raw(json, "application/json");
        }

        private JsonNode? Value(JsonNode? schema, string name, bool hostile, int depth)
        {
            schema = Resolve(schema);
            if (hostile && random.NextDouble() < 0.2) return random.NextDouble() < 0.6 ? JsonValue.Create(Pick(HostileStrings)) : Pick(HostileValues)?.DeepClone();
            if (schema is null || depth > 6) return null;
            if (schema["oneOf"] is JsonArray oneOf) return Value(oneOf[random.Next(oneOf.Count)], name, hostile, depth + 1);
            if (schema["anyOf"] is JsonArray anyOf) return Value(anyOf[random.Next(anyOf.Count)], name, hostile, depth + 1);
            if (schema["enum"] is JsonArray values && values.Count > 0) return values[random.Next(values.Count)]?.DeepClone();

            var types = schema["type"] switch
            {
                JsonArray many => many.Select(t => t!.GetValue<string>()).ToList(),
                JsonValue one => [one.GetValue<string>()],
                _ => schema["properties"] is not null ? ["object"] : ["string"],
            };
            var type = types.Where(t => t != "null").DefaultIfEmpty("null").First();
            if (types.Contains("null") && random.NextDouble() < 0.1) return null;
            return type switch
            {
                "object" => Object(schema, hostile, depth),
                "array" => new JsonArray(Enumerable.Range(0, random.Next(0, 4)).Select(_ => Value(schema["items"], name, hostile, depth + 1)).ToArray()),
                "integer" => JsonValue.Create(Integer(name)),
                "number" => JsonValue.Create(Math.Round(random.NextDouble() * 500, random.Next(0, 3))),
                "boolean" => JsonValue.Create(random.NextDouble() < 0.5),
                "null" => null,
                _ => JsonValue.Create(Text(name, schema["format"]?.GetValue<string>())),
            };
        }

        private JsonObject Object(JsonNode schema, bool hostile, int depth)
        {
            var result = new JsonObject();
            var required = (schema["required"] as JsonArray)?.Select(r => r!.GetValue<string>()).ToHashSet() ?? [];
            foreach (var (name, property) in schema["properties"]?.AsObject() ?? [])
                if (required.Contains(name) || random.NextDouble() < 0.7)
                    result[name] = Value(property, name, hostile, depth + 1);
            if (hostile && random.NextDouble() < 0.1) result[Pick(HostileStrings)] = Pick(HostileValues)?.DeepClone();
            return result;
        }

        private JsonNode? Resolve(JsonNode? schema)
        {
            for (var i = 0; i < 10 && schema?["$ref"] is JsonValue reference; i++)
                schema = document["components"]!["schemas"]![reference.GetValue<string>().Split('/')[^1]];
            return schema;
        }

        /// <summary>A plausible string for a field, by its format or name.</summary>
        private string Text(string name, string? format)
        {
            var lower = name.ToLowerInvariant();
            if (format == "uuid" || lower.EndsWith("id")) return Id();
            if (format == "date-time") return DateTime.UtcNow.AddDays(random.Next(-400, 400)).ToString("O");
            if (lower.Contains("date") || lower is "from" or "to") return new DateOnly(2030, 1, 1).AddDays(random.Next(0, 3000)).ToString("yyyy-MM-dd");
            if (lower.Contains("time") && !lower.Contains("zone")) return $"{random.Next(8, 18):00}:{Pick(["00", "30", "15"])}";
            if (lower == "timezone") return Pick(["UTC", "Europe/Berlin", "America/New_York"]);
            if (lower.Contains("email")) return $"fuzz{random.Next(100_000)}@clinic.test";
            if (lower.Contains("mobile") || lower.Contains("phone")) return $"+351 93{random.Next(1_000_000, 9_999_999)}";
            if (lower == "color") return $"#{random.Next(0x1000000):X6}";
            if (lower.Contains("password")) return "Password-" + random.Next(100_000);
            if (lower == "role") return Pick(["admin", "dentist", "staff", "owner"]);
            if (lower == "type") return Pick(["text", "radio", "checkbox", "textarea"]);
            if (lower is "token" or "refreshtoken") return tokens.Count > 0 && random.NextDouble() < 0.7 ? Pick(tokens) : Convert.ToBase64String(RandomBytes(24));
            if (lower == "signature") return TestImages.DataUrl(TestImages.Png());
            if (lower == "cursor") return Convert.ToBase64String(RandomBytes(random.Next(1, 40)));
            return Pick(["Ada", "Lovelace", "Crown", "Cleaning", "Ängström", "O'Brien", "Zoë", "note\nline two"]) + " " + random.Next(1000);
        }

        private long Integer(string name) => name.ToLowerInvariant() switch
        {
            "limit" => random.Next(-5, 120),
            "toothnumber" => random.Next(0, 34),
            "duration" => random.Next(-10, 500),
            _ => random.Next(-10, 200),
        };

        private string PathValue(string name, JsonNode? schema, bool hostile)
        {
            if (hostile && random.NextDouble() < 0.3)
                // A NUL in the path is refused by Kestrel before the app with an empty 400 (README: Limits).
                return Uri.EscapeDataString(Pick(HostileStrings.Where(s => !s.Contains('\0') && !s.Contains("%00")).ToArray()) is { Length: > 0 } s ? s : "x");
            if (name == "token") return tokens.Count > 0 && random.NextDouble() < 0.8 ? Pick(tokens) : "no-such-token";
            if (name == "date") return new DateOnly(2030, 1, 1).AddDays(random.Next(0, 3000)).ToString("yyyy-MM-dd");
            if (name == "fileName") return Pick(["logo.png", new string('a', 64) + ".png", "..%2F..%2Fetc%2Fpasswd"]);
            if (name == "key") return Pick(["signatures/a/b.png", "backups/x", "a"]);
            var id = Id();
            return Protected.Contains(id) ? Guid.NewGuid().ToString() : id;
        }

        private string QueryValue(string name, JsonNode? schema, bool hostile)
        {
            if (hostile && random.NextDouble() < 0.4) return Pick(HostileStrings);
            var value = Value(schema, name, false, 0);
            return value switch
            {
                null => "",
                JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
                _ => value.ToJsonString().Trim('"'),
            };
        }

        private string Id() => ids.Count > 0 && random.NextDouble() < 0.75 ? Pick(ids) : Guid.NewGuid().ToString();

        /// <summary>Ids and link tokens from a successful answer, so later requests reach existing records.</summary>
        public void Harvest(string body)
        {
            if (body.Length == 0 || body.Length > 1_000_000) return;
            try { Walk(JsonNode.Parse(body), ""); }
            catch (JsonException) { }

            void Walk(JsonNode? node, string property)
            {
                switch (node)
                {
                    case JsonObject obj:
                        foreach (var (key, value) in obj) Walk(value, key);
                        break;
                    case JsonArray array:
                        foreach (var item in array.Take(20)) Walk(item, property);
                        break;
                    case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                        var text = value.GetValue<string>();
                        if ((property == "id" || property.EndsWith("Id")) && Guid.TryParse(text, out _) && !ids.Contains(text))
                        {
                            ids.Add(text);
                            if (ids.Count > 300) ids.RemoveAt(random.Next(ids.Count));
                        }
                        else if (property == "token" && tokens.Count < 50) tokens.Add(text);
                        break;
                }
            }
        }

        private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

        private byte[] RandomBytes(int count)
        {
            var bytes = new byte[count];
            random.NextBytes(bytes);
            return bytes;
        }

        private static StringContent Raw(string text, string contentType)
        {
            var content = new StringContent(text, Encoding.UTF8);
            content.Headers.Remove("Content-Type");
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            return content;
        }
    }
}
