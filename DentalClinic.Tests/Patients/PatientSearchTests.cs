using System.Net;
using System.Net.Http.Json;
using DentalClinic.Migrations;
using DentalClinic.ServiceInterface.Patients;
using DentalClinic.ServiceModel;
using DentalClinic.Tests.Support;
using Microsoft.EntityFrameworkCore;
using static DentalClinic.Tests.Patients.PatientTestData;

namespace DentalClinic.Tests.Patients;

/// <summary>The same cases on both providers: PostgreSQL (pg_trgm) and SQLite (FTS5) must agree.</summary>
public sealed class PatientSearchTests(string provider) : PatientsTest(provider)
{
    [Test]
    public async Task Every_term_is_a_word_prefix_of_the_names()
    {
        var first = Token();
        var last = Token();
        var john = await CreatePatientAsync(NewPatient(Name(first), Name(last)));
        var namesake = await CreatePatientAsync(NewPatient(Name(first), Name(Token())));

        Assert.That(await SearchIdsAsync($"{first[..5]} {last[..4]}"), Is.EqualTo(new[] { john.Id }), "joh do → John Doe");
        Assert.That(await SearchIdsAsync($"{last[..4]} {first[..5]}"), Is.EqualTo(new[] { john.Id }), "in any order");
        Assert.That(await SearchIdsAsync(first[..6]), Is.EquivalentTo(new[] { john.Id, namesake.Id }));
        Assert.That(await SearchIdsAsync($"{first} {Token()}"), Is.Empty, "every term must match");
        Assert.That(await SearchIdsAsync(first[1..]), Is.Empty, "a term matches the start of a word, not its middle");
    }

    [Test]
    public async Task Search_ignores_case_and_accents_both_ways()
    {
        var token = Token();
        var accented = await CreatePatientAsync(NewPatient(lastName: "Ménard" + token));
        var plain = await CreatePatientAsync(NewPatient(lastName: "Menard" + token + "x"));
        var ligature = await CreatePatientAsync(NewPatient(firstName: "Søren" + token, lastName: "Straße" + token));

        Assert.That(await SearchIdsAsync("menard" + token), Is.EquivalentTo(new[] { accented.Id, plain.Id }));
        Assert.That(await SearchIdsAsync("MÉNARD" + token), Is.EquivalentTo(new[] { accented.Id, plain.Id }));
        Assert.That(await SearchIdsAsync("Ménard" + token + "X"), Is.EqualTo(new[] { plain.Id }));
        Assert.That(await SearchIdsAsync($"soren{token} strasse{token}"), Is.EqualTo(new[] { ligature.Id }));
    }

    [Test]
    public async Task Digits_match_inside_the_phone_number_in_any_format()
    {
        var mobile = Mobile();
        var digits = NationalDigits(mobile);
        var patient = await CreatePatientAsync(NewPatient(mobile: mobile));
        var decoy = await CreatePatientAsync(NewPatient());

        foreach (var query in new[] { digits[3..], digits[..3] + "-" + digits[3..6], $"({digits[..3]}) {digits[3..6]}-{digits[6..]}", "+1" + digits, digits[2..9] })
        {
            var found = await SearchIdsAsync(query);
            Assert.That(found, Does.Contain(patient.Id), query);
            Assert.That(found, Does.Not.Contain(decoy.Id), query);
        }
        Assert.That(await SearchIdsAsync($"{patient.LastName} {digits[4..]}"), Is.EqualTo(new[] { patient.Id }), "words and digits together");
        Assert.That(await SearchIdsAsync($"{patient.LastName} {NationalDigits(decoy.MobileNumber)}"), Is.Empty);
    }

    [Test]
    public async Task A_run_longer_than_seven_digits_matches_whole_not_only_by_its_last_seven()
    {
        var digits = NationalDigits(Mobile());
        // Another area code ending in another digit: the eight-digit run below must be the second number's only.
        var otherArea = new[] { "415", "212", "303" }.First(a => a != digits[..3] && a[2] != digits[2]) + digits[3..];
        var patient = await CreatePatientAsync(NewPatient(mobile: "+1" + digits));
        var sameEnd = await CreatePatientAsync(NewPatient(mobile: "+1" + otherArea));

        Assert.That(await SearchIdsAsync(digits[3..]), Is.SupersetOf(new[] { patient.Id, sameEnd.Id }), "the last seven digits: both numbers");
        Assert.That(await SearchIdsAsync(digits), Is.EqualTo(new[] { patient.Id }));
        Assert.That(await SearchIdsAsync("1" + otherArea), Is.EqualTo(new[] { sameEnd.Id }), "with the country code");
        Assert.That(await SearchIdsAsync(otherArea[2..]), Is.EqualTo(new[] { sameEnd.Id }), "eight digits");
        Assert.That(await PagedIdsAsync(digits[1..], 1), Is.EqualTo(new[] { patient.Id }), "paged through the cursor");
        Assert.That(await SearchIdsAsync($"{digits}, {digits[3..7]}"), Is.EqualTo(new[] { patient.Id }), "beside another run");
        Assert.That(await SearchIdsAsync($"{otherArea}, {digits[3..7]}"), Is.EqualTo(new[] { sameEnd.Id }));
        Assert.That(await SearchIdsAsync($"{sameEnd.LastName} {digits}"), Is.Empty, "beside a word");
    }

    [Test]
    public async Task A_run_of_digits_alone_pages_by_name_and_follows_renames_and_archiving()
    {
        var run = string.Concat(Enumerable.Range(0, 12).Select(_ => Random.Shared.Next(10)));
        var token = Token();
        var patients = new List<PatientDto>();
        foreach (var last in new[] { "Delta", "Alpha", "Echo", "Bravo", "Charlie" })
            patients.Add(await CreatePatientAsync(NewPatient(lastName: last + token, email: $"{Token()}.{run}{patients.Count}@ex.io")));
        var byName = patients.OrderBy(p => p.LastName, StringComparer.Ordinal).Select(p => p.Id).ToList();
        Assert.That(await PagedIdsAsync(run, 2), Is.EqualTo(byName), "page after page, by name");
        Assert.That(await SearchIdsAsync(run + "3"), Is.EqualTo(new[] { patients[3].Id }));

        var admin = await As(Roles.Admin);
        Assert.That((await admin.DeleteAsync($"/api/patients/{patients[1].Id}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(await SearchIdsAsync(run), Is.EqualTo(byName.Where(id => id != patients[1].Id)), "archived: out of search");
        Assert.That((await QueryAsync($"archived=true&search={run}", admin)).Data.Select(p => p.Id), Is.EqualTo(new[] { patients[1].Id }));
        Assert.That((await admin.PostAsync($"/api/patients/{patients[1].Id}/restore", null)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await SearchIdsAsync(run), Is.EqualTo(byName), "restored: found again");

        var renamed = patients[0];
        var response = await (await As(Roles.Staff)).PutAsJsonAsync($"/api/patients/{renamed.Id}",
            new UpdatePatient(renamed.FirstName, "Aaa" + token, renamed.MobileNumber, renamed.Email, null));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await SearchIdsAsync(run))[0], Is.EqualTo(renamed.Id), "the order follows a new name");
    }

    [Test]
    public async Task The_email_is_searched_too()
    {
        var token = Token();
        var patient = await CreatePatientAsync(NewPatient(email: $"{token}.smith@{Token(6)}.example.com"));
        Assert.That(await SearchIdsAsync(token[..6]), Is.EqualTo(new[] { patient.Id }));
        Assert.That(await SearchIdsAsync($"{token}.smith@"), Is.EqualTo(new[] { patient.Id }));
    }

    [Test]
    public async Task Best_matches_come_first()
    {
        var token = Token();
        // Created worst first, so that neither creation order nor id order explains the result.
        var inEmail = await CreatePatientAsync(NewPatient("Aaron", "Aaronson", email: $"{token}@example.com"));
        var prefixOfName = await CreatePatientAsync(NewPatient("Abel", Name(token) + "son"));
        var wholeName = await CreatePatientAsync(NewPatient("Zoe", Name(token)));
        var wholeNameAndMore = await CreatePatientAsync(NewPatient(Name(token), Name(token)));

        Assert.That(await SearchIdsAsync(token), Is.EqualTo(new[] { wholeName.Id, wholeNameAndMore.Id, prefixOfName.Id, inEmail.Id })
            .Or.EqualTo(new[] { wholeNameAndMore.Id, wholeName.Id, prefixOfName.Id, inEmail.Id }));
    }

    [Test]
    public async Task Search_results_are_paged_without_gaps_while_patients_are_added()
    {
        var token = Token();
        var created = new List<Guid>();
        foreach (var batch in Enumerable.Range(0, 45).Chunk(15))
            created.AddRange((await Task.WhenAll(batch.Select(i =>
                CreatePatientAsync(NewPatient(i % 2 == 0 ? "Anna" : "Zoe", Name(token) + "son"))))).Select(p => p.Id));

        var pages = new List<IReadOnlyList<PatientDto>>();
        string? cursor = null;
        do
        {
            var page = await QueryAsync($"limit=20&search={token}" + (cursor is null ? "" : "&cursor=" + cursor));
            Assert.That(page.Pagination.Limit, Is.EqualTo(20));
            Assert.That(page.Pagination.HasMore, Is.EqualTo(page.Pagination.NextCursor is not null));
            pages.Add(page.Data);
            cursor = page.Pagination.NextCursor;
            // Newcomers that sort before the page already read (a better score) must not shift the next pages.
            await CreatePatientAsync(NewPatient(lastName: Name(token)));
        } while (cursor is not null && pages.Count < 10);

        var seen = pages.SelectMany(p => p).Select(p => p.Id).ToList();
        Assert.That(pages.Select(p => p.Count), Is.EqualTo(new[] { 20, 20, 5 }));
        Assert.That(seen, Is.Unique);
        Assert.That(seen, Is.EquivalentTo(created));
        Assert.That(pages.SelectMany(p => p).Select(p => p.FirstName), Is.Ordered, "equal scores and last names: by first name, then id");
    }

    [Test]
    public async Task A_cursor_must_be_intact_and_belong_to_its_query()
    {
        var token = Token();
        for (var i = 0; i < 3; i++) await CreatePatientAsync(NewPatient(lastName: Name(token) + Name(Token(3))));
        var staff = await As(Roles.Staff);
        var page = await QueryAsync($"limit=1&search={token}");
        var cursor = page.Pagination.NextCursor!;
        var tampered = (cursor[0] == 'A' ? 'B' : 'A') + cursor[1..];
        await AssertErrorAsync(await staff.GetAsync($"/api/patients?search={token}&cursor={tampered}"), HttpStatusCode.BadRequest, ErrorCodes.BadRequest);
        await AssertErrorAsync(await staff.GetAsync("/api/patients?cursor=%%%"), HttpStatusCode.BadRequest, ErrorCodes.BadRequest);
        await AssertErrorAsync(await staff.GetAsync($"/api/patients?search={Token()}&cursor={cursor}"), HttpStatusCode.BadRequest, ErrorCodes.BadRequest);
        await AssertErrorAsync(await staff.GetAsync($"/api/patients?cursor={cursor}"), HttpStatusCode.BadRequest, ErrorCodes.BadRequest);
        var next = await QueryAsync($"limit=1&search={token.ToUpperInvariant()}&cursor={cursor}");
        Assert.That(next.Data.Single().Id, Is.Not.EqualTo(page.Data.Single().Id), "the same terms in another case continue the search");
    }

    [Test]
    public async Task Limit_defaults_to_20_is_at_most_100_and_at_least_1()
    {
        var staff = await As(Roles.Staff);
        Assert.That((await QueryAsync("")).Pagination.Limit, Is.EqualTo(20));
        Assert.That((await QueryAsync("limit=1000")).Pagination.Limit, Is.EqualTo(100));
        await AssertErrorAsync(await staff.GetAsync("/api/patients?limit=0"), HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "limit");
        await AssertErrorAsync(await staff.GetAsync("/api/patients?limit=ten"), HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "limit");
    }

    [Test]
    public async Task A_search_is_at_most_200_characters_without_control_characters()
    {
        var staff = await As(Roles.Staff);
        await AssertErrorAsync(await staff.GetAsync("/api/patients?search=" + new string('a', 201)), HttpStatusCode.BadRequest,
            ErrorCodes.ValidationError, "search");
        await AssertErrorAsync(await staff.GetAsync("/api/patients?search=a%00b"), HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "search");
        Assert.That((await staff.GetAsync("/api/patients?search=" + string.Join(' ', Enumerable.Repeat("a", 100)))).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task A_search_of_more_than_8_terms_is_refused_naming_search()
    {
        var staff = await As(Roles.Staff);
        var eight = "ann bo cy di ed fa gil 555";
        Assert.That((await staff.GetAsync("/api/patients?search=" + Uri.EscapeDataString(eight))).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var error = await AssertErrorAsync(await staff.GetAsync("/api/patients?search=" + Uri.EscapeDataString(eight + " gus")),
            HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "search");
        Assert.That(error.Details.Single().Message, Does.Contain("8 terms"));
    }

    [Test]
    public async Task A_search_of_only_punctuation_lists_everyone()
    {
        await CreatePatientAsync(NewPatient());
        var page = await QueryAsync("limit=5&search=" + Uri.EscapeDataString(" ,;-!"));
        Assert.That(page.Data, Is.Not.Empty);
    }

    [Test]
    public async Task Search_follows_updates()
    {
        var oldName = Token();
        var newName = Token();
        var patient = await CreatePatientAsync(NewPatient(lastName: Name(oldName)));
        var newMobile = Mobile();
        var response = await (await As(Roles.Staff)).PutAsJsonAsync($"/api/patients/{patient.Id}",
            new UpdatePatient(patient.FirstName, Name(newName), newMobile, null, null));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await SearchIdsAsync(oldName), Is.Empty);
        Assert.That(await SearchIdsAsync(newName), Is.EqualTo(new[] { patient.Id }));
        Assert.That(await SearchIdsAsync(NationalDigits(newMobile)), Is.EqualTo(new[] { patient.Id }));
        Assert.That(await SearchIdsAsync(NationalDigits(patient.MobileNumber)), Does.Not.Contain(patient.Id));
    }

    [Test]
    public async Task A_one_word_search_ranks_and_pages_as_the_general_search_does()
    {
        // One word is answered from the prefix index. The same word with "1" — a digit every test
        // number has (the country code) — takes the general path, which scores every match from its text.
        var token = Token(8);
        var word = token[..5];
        var wholeName = await CreatePatientAsync(NewPatient("Zed", Name(word)));
        await CreatePatientAsync(NewPatient("Abe", Name(token) + "son"));
        await CreatePatientAsync(NewPatient(Name(token), "Abbott", email: $"{word}@example.com"));
        await CreatePatientAsync(NewPatient("Amy", "Lane", email: $"x.{token}@example.com"));
        await CreatePatientAsync(NewPatient(Name(word) + "-Lee", Name(token)));
        var archived = await CreatePatientAsync(NewPatient(Name(word), "Archer"));
        Assert.That((await (await As(Roles.Admin)).DeleteAsync($"/api/patients/{archived.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        await CreatePatientAsync(NewPatient("Ann", Name(token[..4]) + (token[4] == 'z' ? "y" : "z")));

        var byIndex = await SearchIdsAsync(word);
        Assert.That(byIndex, Has.Count.EqualTo(5).And.No.Member(archived.Id));
        Assert.That(byIndex[0], Is.EqualTo(wholeName.Id));
        Assert.That(byIndex, Is.EqualTo(await SearchIdsAsync(word + " 1")));
        Assert.That(await PagedIdsAsync(word, 2), Is.EqualTo(byIndex), "pages of two, through the cursor");
        Assert.That(await PagedIdsAsync(word + " 1", 2), Is.EqualTo(byIndex));
    }

    [Test]
    public async Task A_run_of_digits_pages_by_name_as_the_general_search_does()
    {
        // The run is in every email; alone it is read from the digit index, with a word that every
        // patient has in the email it takes the general path. Names repeat, so the id decides too.
        var run = Random.Shared.NextInt64(100_000_000, 999_999_999).ToString();
        var last = Name(Token());
        var created = new List<Guid>();
        foreach (var (first, lastName) in new[] { ("Zoe", "A" + last), ("Ann", "B" + last), ("Ann", "A" + last), ("Ann", "A" + last), ("Bob", "A" + last) })
            created.Add((await CreatePatientAsync(NewPatient(first, lastName, email: $"x{run}@example.com"))).Id);
        var archived = await CreatePatientAsync(NewPatient("Ann", "A" + last, email: $"x{run}@example.com"));
        Assert.That((await (await As(Roles.Admin)).DeleteAsync($"/api/patients/{archived.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        var byIndex = await SearchIdsAsync(run);
        Assert.That(byIndex, Is.EquivalentTo(created));
        Assert.That(byIndex[..2], Is.EquivalentTo(created[2..4]));
        Assert.That(byIndex[2..], Is.EqualTo(new[] { created[4], created[0], created[1] }));
        Assert.That(byIndex, Is.EqualTo(await SearchIdsAsync(run + " example")));
        Assert.That(await SearchIdsAsync(run[2..6]), Is.SupersetOf(created), "four digits from the middle of the run");
        Assert.That(await PagedIdsAsync(run, 2), Is.EqualTo(byIndex), "pages of two, through the cursor");
        Assert.That(await PagedIdsAsync(run[1..], 1), Is.EqualTo(byIndex));
    }

    [Test]
    public async Task Several_words_rank_and_page_by_score_then_name_then_id()
    {
        // Several words (and name + digits, and an e-mail fragment) take the general path: on PostgreSQL the
        // words through the GIN index of word starts, on SQLite through FTS5. Both must give the order the
        // rule gives: the sum of each word's rank (whole word of the names 3, start of one 2, e-mail 1) first,
        // then last name, first name, id. Names repeat, so that the id decides among equals.
        var (w1, w2) = (Token(8), Token(8));
        var area = Random.Shared.Next(201, 990);
        var exchange = Random.Shared.Next(200, 1000);
        var n = 0;
        string Number() => $"+1 ({area}) {exchange}-{n++:D4}";
        var created = new List<CreatePatient>
        {
            NewPatient(Name(w1), Name(w2), Number()),
            NewPatient(Name(w1), Name(w2), Number(), email: $"{w1}.{w2}@example.com"),
            NewPatient(Name(w1), Name(w2), Number()),
            NewPatient(Name(w1), Name(w2) + "son", Number()),
            NewPatient(Name(w1) + "a", Name(w2), Number()),
            NewPatient(Name(w1), "Zed", Number(), email: $"{w2}x@example.com"),
            NewPatient("Amy", Name(w2), Number(), email: $"{w1}.q@example.com"),
            NewPatient(Name(w1) + "b", Name(w2) + "ter", Number()),
            NewPatient("Bo", "Ray", Number(), email: $"{w1}.{w2}@example.com"),
            NewPatient(Name(w2), Name(w1), Number()),
            NewPatient(Name(w1), "Other", Number(), email: $"{w1}@example.com"),
        };
        var patients = new List<PatientDto>();
        foreach (var patient in created) patients.Add(await CreatePatientAsync(patient));
        var archived = await CreatePatientAsync(NewPatient(Name(w1), Name(w2), Number()));
        var admin = await As(Roles.Admin);
        Assert.That((await admin.DeleteAsync($"/api/patients/{archived.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        List<Guid> Expected(string search, IEnumerable<PatientDto> among)
        {
            var terms = PatientSearch.Parse(search);
            return among
                .Select(p => (Patient: p, Ranks: terms.Words.Select(w => Rank(p, w)).ToList(),
                    Digits: terms.Digits.All(d => new string(p.MobileNumber.Where(char.IsAsciiDigit).ToArray()).Contains(d))))
                .Where(r => r.Digits && r.Ranks.All(rank => rank > 0))
                .OrderByDescending(r => r.Ranks.Sum())
                .ThenBy(r => r.Patient.LastName, StringComparer.Ordinal).ThenBy(r => r.Patient.FirstName, StringComparer.Ordinal)
                .ThenBy(r => r.Patient.Id.ToString(), StringComparer.Ordinal)
                .Select(r => r.Patient.Id).ToList();
        }

        var expected = Expected($"{w1} {w2}", patients);
        Assert.That(expected, Has.Count.EqualTo(10), "every patient but the one without the second word");
        Assert.That(await SearchIdsAsync($"{w1} {w2}"), Is.EqualTo(expected));
        Assert.That(await SearchIdsAsync($"{w2} {w1}"), Is.EqualTo(expected), "in any order");
        Assert.That(await PagedIdsAsync($"{w1} {w2}", 1), Is.EqualTo(expected), "pages of one, through the cursor");
        Assert.That(await PagedIdsAsync($"{w1} {w2}", 2), Is.EqualTo(expected), "pages of two");
        foreach (var search in new[] { $"{w1[..3]} {w2[..5]}", $"{w1}.{w2}@example", $"{w1} {w2} example", $"{w1} {w2[..2]} com", $"{w1} {w2} 1",
                     $"{w1} {w2} {area}{exchange}", $"{w1} {w2} ({area}) {exchange}-0001", $"{w1[..4]} {exchange}", $"{w1} {w2} {exchange}-00",
                     $"{w2} {area}-{exchange}", $"{w1} 1" })
        {
            var expectedHere = Expected(search, patients);
            Assert.That(await SearchIdsAsync(search), Is.EqualTo(expectedHere), search);
            Assert.That(await PagedIdsAsync(search, 2), Is.EqualTo(expectedHere), search + ", pages of two");
        }
        Assert.That(Expected($"{w1}.{w2}@example", patients), Has.Count.EqualTo(4), "the e-mail fragment: the patients with both words and an e-mail at example");
        Assert.That(Expected($"{w1} {w2} ({area}) {exchange}-0001", patients), Is.EqualTo(new[] { patients[1].Id }));

        var archivedSearch = (await QueryAsync($"archived=true&limit=1&search={w1}%20{w2}", admin));
        Assert.That(archivedSearch.Data.Select(p => p.Id), Is.EqualTo(new[] { archived.Id }), "archived patients: only with ?archived=true");
        Assert.That(archivedSearch.Pagination.HasMore, Is.False);
        var withLongWord = await CreatePatientAsync(NewPatient(Name(w1), Name(w2 + "abcdefghijklmnopq"), Number()));
        Assert.That(await SearchIdsAsync($"{w1} {w2}abcdefghijklmnopq"), Is.EqualTo(new[] { withLongWord.Id }),
            "a word of more than 20 characters beside a shorter one");
    }

    /// <summary>The rank a search word gives a patient by the rule (0: no match).</summary>
    private static int Rank(PatientDto patient, string word)
    {
        var names = PatientSearch.Normalize($"{patient.FirstName} {patient.LastName}").Split(' ');
        if (names.Contains(word)) return PatientSearchPrefix.WholeNameWord;
        if (names.Any(n => n.StartsWith(word, StringComparison.Ordinal))) return PatientSearchPrefix.StartOfNameWord;
        return PatientSearch.Normalize(patient.Email ?? "").Split(' ').Any(e => e.StartsWith(word, StringComparison.Ordinal))
            ? PatientSearchPrefix.StartOfEmailWord : 0;
    }

    [Test]
    public async Task Every_word_start_a_one_word_search_finds_is_found_beside_another_word()
    {
        // The word index of PostgreSQL (patient_search_words) must hold exactly the prefix rows' words:
        // not only digits, at most 20 characters, from the names and every e-mail word.
        var token = Token(6);
        var patient = await CreatePatientAsync(new CreatePatient("Ærøskøbing-Ωx", $"O'Brien {Name(token)}{new string('w', 22)}", Mobile(),
            $"1985.{token}7@ExAmple.io", null));
        var text = await WithDbAsync(db => db.Patients.Where(p => p.Id == patient.Id).Select(p => EF.Property<string>(p, PatientSearch.Property)).SingleAsync());
        var prefixes = PatientSearchPrefix.Ranks(text).Keys.ToList();
        Assert.That(prefixes, Does.Contain("ωx").And.Contain("aeroskobing").And.Contain("obrien").And.Contain($"{token}7").And.Not.Contain("1985"));
        if (Provider == TestDatabases.PostgreSql)
        {
            var words = await WithDbAsync(db => db.Database
                .SqlQuery<string>($"SELECT unnest(patient_search_words(search_text)) AS \"Value\" FROM patients WHERE id = {patient.Id}").ToListAsync());
            Assert.That(words.Distinct(), Is.EquivalentTo(prefixes));
        }
        foreach (var prefix in prefixes)
            Assert.That(await SearchIdsAsync($"{prefix} {token}"), Is.EqualTo(new[] { patient.Id }), prefix);
        Assert.That(await SearchIdsAsync($"{token} 1985"), Is.EqualTo(new[] { patient.Id }), "digits of an e-mail word");
        Assert.That(await SearchIdsAsync($"{token} ample"), Is.Empty, "a word's middle is no start");
    }

    [Test]
    public async Task The_prefix_rows_follow_every_change_of_the_names_and_email()
    {
        var token = Token();
        var patient = await CreatePatientAsync(NewPatient("Ann", Name(token), email: $"{token}@example.com"));
        await AssertPrefixRowsAsync(patient.Id);
        var staff = await As(Roles.Staff);
        foreach (var (first, last, email) in new[] { ("Ann", "Zebra" + token, (string?)null), ("Ann", "zebra" + token, null), ("Anna", "zebra" + token, "a.b@c.de"), ("Anna", "zebra" + token, "ann19851986@c.de"), ("Anna", "zebra" + token, "a.b@c.de") })
        {
            var response = await staff.PutAsJsonAsync($"/api/patients/{patient.Id}", new UpdatePatient(first, last, patient.MobileNumber, email, null));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            await AssertPrefixRowsAsync(patient.Id);
        }
        Assert.That(await SearchIdsAsync(token), Is.Empty);
        Assert.That(await SearchIdsAsync("zebra" + token[..3]), Is.EqualTo(new[] { patient.Id }));
        var page = await QueryAsync("search=zebra" + token);
        Assert.That(page.Data.Single().LastName, Is.EqualTo("zebra" + token), "a change of case only is a new sort key too");
    }

    private async Task AssertPrefixRowsAsync(Guid patientId)
    {
        var (text, names, rows) = await WithDbAsync(async db =>
        {
            var patient = await db.Patients.AsNoTracking().Where(p => p.Id == patientId)
                .Select(p => new { Text = EF.Property<string>(p, PatientSearch.Property), p.LastName, p.FirstName }).SingleAsync();
            var rows = await db.Set<PatientSearchPrefix>().AsNoTracking().Where(s => s.PatientId == patientId).ToListAsync();
            var digits = await db.Set<PatientSearchDigits>().AsNoTracking().Where(s => s.PatientId == patientId).Select(s => s.Digits).ToListAsync();
            Assert.That(digits, Is.EquivalentTo(PatientSearchDigits.Substrings(patient.Text)), "digit rows follow the search text");
            return (patient.Text, (patient.LastName, patient.FirstName), rows);
        });
        Assert.That(rows.ToDictionary(r => r.Prefix, r => PatientSearchPrefix.RankOf(r.Precedence)), Is.EquivalentTo(PatientSearchPrefix.Ranks(text)));
        Assert.That(rows.Select(r => (r.LastName, r.FirstName)).Distinct(), Is.EqualTo(new[] { names }));
    }

    private async Task<List<Guid>> PagedIdsAsync(string search, int limit)
    {
        var ids = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await QueryAsync($"limit={limit}&search={Uri.EscapeDataString(search)}" + (cursor is null ? "" : "&cursor=" + cursor));
            ids.AddRange(page.Data.Select(p => p.Id));
            cursor = page.Pagination.NextCursor;
        } while (cursor is not null);
        return ids;
    }

    [Test]
    public async Task The_migration_backfill_computes_what_the_application_writes()
    {
        var token = Token();
        var patient = await CreatePatientAsync(new CreatePatient("Jean-Édouard", $"O'Brien-Ørsted {Name(token)}", Mobile(),
            $"Jean.Édouard_{token}@Example.COM", null));
        var (stored, backfilled) = await WithDbAsync(async db =>
        {
            var stored = await db.Patients.Where(p => p.Id == patient.Id).Select(p => EF.Property<string>(p, PatientSearch.Property)).SingleAsync();
            // Braces are doubled: the raw SQL is a format string for its parameters.
            var sql = "SELECT " + PatientSearchBackfill.SearchTextExpression.Replace("{", "{{").Replace("}", "}}") + " AS \"Value\" FROM patients WHERE id = {0}";
            return (stored, await db.Database.SqlQueryRaw<string>(sql, patient.Id).SingleAsync());
        });
        Assert.That(stored, Does.StartWith($" jean edouard obrien orsted {token} # jean edouard {token} example com 1"));
        Assert.That(backfilled, Is.EqualTo(stored));
    }
}

/// <summary>Unit tests of the search text and terms.</summary>
public sealed class PatientSearchTextTests
{
    [TestCase("Ménard", "menard")]
    [TestCase("  O'Brien--Smith  ", "obrien smith")]
    [TestCase("D\u2019Angelo", "dangelo")]
    [TestCase("STRAßE Łódź Ærø", "strasse lodz aero")]
    [TestCase("Zoë 3rd", "zoe 3rd")]
    [TestCase("!!!", "")]
    public void Normalize_folds_case_accents_and_punctuation(string value, string expected) =>
        Assert.That(PatientSearch.Normalize(value), Is.EqualTo(expected));

    [Test]
    public void Digit_rows_are_every_piece_of_four_to_seven_digits_of_every_run()
    {
        var text = PatientSearch.Text("Ann", "Lee", "ann.b1985x@ex.io", ["15551234"]);
        Assert.That(PatientSearchDigits.Substrings(text), Is.EquivalentTo(new[]
        {
            "1985",
            "1555", "5551", "5512", "5123", "1234",
            "15551", "55512", "55123", "51234",
            "155512", "555123", "551234",
            "1555123", "5551234",
        }));
        const string run = "1234567890123456789012";
        var pieces = PatientSearchDigits.Substrings($" a # 123 x{run} 1231 ");
        Assert.That(pieces, Does.Not.Contain("123"), "shorter than four digits");
        Assert.That(pieces, Does.Contain("1231").And.Contain(run[..7]).And.Contain(run[^7..]).And.Contain("9012"));
        Assert.That(pieces.Max(p => p.Length), Is.EqualTo(7), "longer than seven digits");
        Assert.That(pieces.Where(p => p.Length == 7), Is.EquivalentTo(Enumerable.Range(0, run.Length - 6).Select(i => run.Substring(i, 7)).Distinct()));
        Assert.That(PatientSearchDigits.IsServed("123"), Is.False);
        Assert.That(PatientSearchDigits.IsServed(run), Is.True);
        Assert.That(PatientSearchDigits.KeyOf("5551234"), Is.EqualTo("5551234"));
        Assert.That(PatientSearchDigits.IsWholeKey("5551234"), Is.True);
        Assert.That(PatientSearchDigits.KeyOf("15551234"), Is.EqualTo("5551234"), "a longer run is read by its last seven digits");
        Assert.That(PatientSearchDigits.IsWholeKey("15551234"), Is.False);
    }

    [Test]
    public void Parse_splits_words_and_phone_digits()
    {
        var terms = PatientSearch.Parse("Jöhn (555) 123-45 do 7");
        Assert.That(terms.Words, Is.EqualTo(new[] { "john", "do" }));
        Assert.That(terms.Digits, Is.EqualTo(new[] { "55512345", "7" }));
        Assert.That(terms.Patterns, Is.EqualTo(new[] { "% john%", "% do%", "%55512345%", "%7%" }));
        Assert.That(PatientSearch.Parse("  ").IsEmpty, Is.True);
        var glued = PatientSearch.Parse("bob1985 c4ca42");
        Assert.That(glued.Words, Is.EqualTo(new[] { "bob1985", "c4ca42" }));
        Assert.That(glued.Digits, Is.Empty);
        Assert.That(PatientSearch.Parse(string.Join(' ', Enumerable.Range(0, 20).Select(i => "w" + (char)('a' + i)))).Words,
            Has.Count.EqualTo(PatientSearch.MaxTerms));
    }

    [Test]
    public void Prefix_ranks_come_from_the_names_and_email_words_of_the_search_text()
    {
        var ranks = PatientSearchPrefix.Ranks(PatientSearch.Text("Ann", "Annabel", "ann.x9@ex.io", ["15551234567"]));
        Assert.That(ranks, Is.EquivalentTo(new Dictionary<string, int>
        {
            ["a"] = 2, ["an"] = 2, ["ann"] = 3, ["anna"] = 2, ["annab"] = 2, ["annabe"] = 2, ["annabel"] = 3,
            ["x"] = 1, ["x9"] = 1, ["e"] = 1, ["ex"] = 1, ["i"] = 1, ["io"] = 1,
        }), "the best rank of each prefix; the phone digits are left out");
        var longWord = new string('w', 25);
        Assert.That(PatientSearchPrefix.Ranks($" {longWord} # ").Keys.Max(k => k.Length), Is.EqualTo(PatientSearchPrefix.MaxLength));
        Assert.That(PatientSearchPrefix.Ranks(" 𠀀𠀁 # ").Keys, Is.EquivalentTo(new[] { "𠀀", "𠀀𠀁" }),
            "characters are code points, as in SQL");
        Assert.That(PatientSearchPrefix.IsServed(longWord[..20]), Is.True);
        Assert.That(PatientSearchPrefix.IsServed(longWord[..21]), Is.False);
        Assert.That(PatientSearchPrefix.IsServed("123"), Is.False);
    }

    [Test]
    public void The_search_text_puts_names_before_the_only_hash()
    {
        var text = PatientSearch.Text("Ann", "Lee", null, ["15551234567"]);
        Assert.That(text, Is.EqualTo(" ann lee # 15551234567 "));
        Assert.That(PatientSearch.Text(new string('a', 100), new string('b', 100), new string('c', 900), ["1"]).Length,
            Is.LessThanOrEqualTo(PatientSearch.MaxLength));
    }

    [Test]
    public void National_digits_with_a_trunk_prefix_are_searchable()
    {
        var number = MobileNumbers.Parse("+44 7911 123456", "US")!;
        Assert.That(MobileNumbers.SearchDigits(number), Is.EqualTo(new[] { "447911123456", "07911123456" }));
        Assert.That(MobileNumbers.SearchDigits(MobileNumbers.Parse("+1 (555) 123-4567", "US")!), Is.EqualTo(new[] { "15551234567" }));
    }
}
