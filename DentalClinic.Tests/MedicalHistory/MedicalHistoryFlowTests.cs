using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DentalClinic.ServiceInterface.Data;
using DentalClinic.ServiceModel;
using DentalClinic.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace DentalClinic.Tests.MedicalHistory;

/// <summary>
/// The questionnaire is global state: every test of this fixture sets the questionnaire it needs
/// first, on a database of the fixture's own (tests of one fixture never run at the same time).
/// </summary>
public sealed class MedicalHistoryFlowTests(string provider) : ApiTest(provider)
{
    protected override IReadOnlyDictionary<string, string?> Settings => FeatureSettings.For("medical-history", Provider);

    private static readonly byte[] SignaturePng = TestImages.Png(40, 12);

    [Test]
    public async Task Questions_link_form_rejections_signed_submission_reuse_and_snapshots()
    {
        var dentist = await As(Roles.Dentist);
        var staff = await As(Roles.Staff);

        // 1. The questionnaire.
        var questions = await SetQuestionnaireAsync(
            new QuestionInput(null, "Do you take any medication?", QuestionTypes.Radio, ["Yes", "No"], true, 10),
            new QuestionInput(null, "Which of these apply?", QuestionTypes.Checkbox, ["Diabetes", "Asthma", "Heart condition"], false, 20),
            new QuestionInput(null, "Allergies", QuestionTypes.Text, null, true, 30),
            new QuestionInput(null, "Anything else we should know?", QuestionTypes.Textarea, null, false, 40));
        var (medication, conditions, allergies, notes) = (questions[0], questions[1], questions[2], questions[3]);
        Assert.That(await ReadAsync<List<QuestionDto>>(await staff.GetAsync("/api/medical-history/questions")), Is.EqualTo(questions).Using<QuestionDto>(SameQuestion));

        // 2. A link, by any role.
        var patientId = await TestPatients.CreateAsync(App, new DateOnly(1980, 5, 17), "Grace");
        var created = await staff.PostAsJsonAsync($"/api/patients/{patientId}/medical-history-link", new CreateMedicalHistoryLink(48, null));
        var link = await ReadAsync<MedicalHistoryLinkDto>(created, HttpStatusCode.Created);
        Assert.That(link.Token, Does.Match("^[A-Za-z0-9_-]{43}$"), "256 random bits, base64url");
        Assert.That(link.Url, Is.EqualTo("https://app.clinic.test/medical-history/" + link.Token));
        Assert.That(link.ExpiresAt, Is.EqualTo(DateTime.UtcNow.AddHours(48)).Within(TimeSpan.FromMinutes(2)));
        Assert.That(link.Sms, Is.Null);
        Assert.That(created.Headers.Location?.ToString(), Is.EqualTo($"/api/medical-history/{link.Token}"));
        var stored = await TestPatients.WithDbAsync(App, db => db.Set<MedicalHistoryLink>().Where(l => l.PatientId == patientId).Select(l => l.TokenHash).ToListAsync());
        Assert.That(stored, Is.EqualTo(new[] { Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(link.Token))) }), "only the token's hash is stored");

        // 3. The public form.
        var form = await ReadAsync<MedicalHistoryForm>(await Anonymous().GetAsync($"/api/medical-history/{link.Token}"));
        Assert.That(form.Patient.FirstName, Is.EqualTo("Grace"));
        Assert.That(form.Clinic.Name, Is.Not.Empty);
        Assert.That(form.Questions.Select(q => (q.Id, q.Question, q.Type, q.Required)),
            Is.EqualTo(questions.Select(q => (q.Id, q.Question, q.Type, q.Required))));
        Assert.That(form.Questions[0].Options, Is.EqualTo(new[] { "Yes", "No" }));
        Assert.That(form.ExpiresAt, Is.EqualTo(link.ExpiresAt).Within(TimeSpan.FromMilliseconds(1)));

        // 4. Every bad submission is refused, naming its field; none uses up the link.
        var dob = "1980-05-17";
        var signature = TestImages.DataUrl(SignaturePng);
        object[] Answers(object medicationAnswer, object? conditionsAnswer = null, object? allergiesAnswer = null, object? notesAnswer = null) =>
        [
            new { questionId = medication.Id, answer = medicationAnswer },
            new { questionId = conditions.Id, answer = conditionsAnswer ?? new[] { "Asthma" } },
            new { questionId = allergies.Id, answer = allergiesAnswer ?? "Penicillin" },
            new { questionId = notes.Id, answer = notesAnswer ?? "Nervous about needles.\nPlease be gentle." },
        ];
        var url = $"/api/medical-history/{link.Token}";
        async Task Refused(object body, params string[] fields) =>
            await AssertErrorAsync(await Anonymous().PostAsJsonAsync(url, body), HttpStatusCode.BadRequest, ErrorCodes.ValidationError, fields);

        await Refused(new { dateOfBirth = dob, signature, answers = new object[] { new { questionId = medication.Id, answer = "No" } } }, "answers");
        await Refused(new { dateOfBirth = dob, signature, answers = Answers("Maybe") }, "answers[0].answer");
        await Refused(new { dateOfBirth = dob, signature, answers = Answers(new[] { "Yes" }) }, "answers[0].answer");
        await Refused(new { dateOfBirth = dob, signature, answers = Answers("No", "Asthma") }, "answers[1].answer");
        await Refused(new { dateOfBirth = dob, signature, answers = Answers("No", new[] { "Asthma", "Gout" }) }, "answers[1].answer");
        await Refused(new { dateOfBirth = dob, signature, answers = Answers("No", new[] { "Asthma", "Asthma" }) }, "answers[1].answer");
        await Refused(new { dateOfBirth = dob, signature, answers = Answers("No", allergiesAnswer: new string('a', 2001)) }, "answers[2].answer");
        await Refused(new { dateOfBirth = dob, signature, answers = Answers("No", allergiesAnswer: 42) }, "answers[2].answer");
        await Refused(new { dateOfBirth = dob, signature, answers = Answers("No", notesAnswer: new string('b', 10_001)) }, "answers[3].answer");
        await Refused(new { dateOfBirth = dob, signature, answers = Answers("No").Append(new { questionId = Guid.NewGuid(), answer = "?" }).ToArray() }, "answers[4].questionId");
        await Refused(new { dateOfBirth = dob, signature, answers = Answers("No").Append(new { questionId = medication.Id, answer = "Yes" }).ToArray() }, "answers[4].questionId");
        await Refused(new { dateOfBirth = dob, signature, answers = new object[] { new { answer = "Yes" } } }, "answers[0].questionId");
        await Refused(new { dateOfBirth = dob, answers = Answers("No") }, "signature");
        await Refused(new { dateOfBirth = dob, signature = "not base64 at all!", answers = Answers("No") }, "signature");
        await Refused(new { dateOfBirth = dob, signature = Convert.ToBase64String("just some text"u8.ToArray()), answers = Answers("No") }, "signature");
        await Refused(new { dateOfBirth = dob, signature = TestImages.DataUrl(TestImages.Gif, "image/gif"), answers = Answers("No") }, "signature");
        await Refused(new { dateOfBirth = dob, signature = TestImages.DataUrl(TestImages.Jpeg, "image/png"), answers = Answers("No") }, "signature");
        await Refused(new { dateOfBirth = dob, signature = TestImages.DataUrl(SignaturePng[..60]), answers = Answers("No") }, "signature");
        await Refused(new { dateOfBirth = dob, signature = TestImages.DataUrl(TestImages.PngOfSize(1024 * 1024 + 1)), answers = Answers("No") }, "signature");
        await Refused(new { signature, answers = Answers("No") }, "dateOfBirth");
        await Refused(new { dateOfBirth = "2999-01-01", signature, answers = Answers("No") }, "dateOfBirth");
        await Refused(new { dateOfBirth = "1980-05-18", signature, answers = Answers("No") }, "dateOfBirth");
        await Refused(new { dateOfBirth = dob, signature }, "answers");
        await AssertErrorAsync(await Anonymous().PostAsJsonAsync(url, new { dateOfBirth = "17/05/1980", signature, answers = Answers("No") }),
            HttpStatusCode.BadRequest, ErrorCodes.BadRequest, "dateOfBirth");

        // 5. A good submission: a JPEG signature as bare base64 is as good as a PNG data URL; this one uses the PNG.
        var submitted = await ReadAsync<MedicalHistorySubmitted>(
            await Anonymous().PostAsJsonAsync(url, new { dateOfBirth = dob, signature, answers = Answers("No", new[] { "Diabetes", "Asthma" }) }),
            HttpStatusCode.Created);
        Assert.That(submitted.SubmittedAt, Is.EqualTo(DateTime.UtcNow).Within(TimeSpan.FromMinutes(2)));

        // 6. The link is used up.
        await AssertErrorAsync(await Anonymous().PostAsJsonAsync(url, new { dateOfBirth = dob, signature, answers = Answers("No") }), HttpStatusCode.Gone, ErrorCodes.Gone);
        await AssertErrorAsync(await Anonymous().GetAsync(url), HttpStatusCode.Gone, ErrorCodes.Gone);

        // 7. Clinicians read it back: answers as answered, the signature through a short-lived signed URL.
        var history = await ReadAsync<List<MedicalHistorySubmissionDto>>(await dentist.GetAsync($"/api/medical-history/patient/{patientId}"));
        var submission = history.Single();
        Assert.That((submission.Id, submission.PatientId, submission.DateOfBirth), Is.EqualTo((submitted.Id, patientId, new DateOnly(1980, 5, 17))));
        Assert.That(submission.SubmissionHash, Does.Match("^[0-9a-f]{64}$"));
        AssertAnswers(submission, medication, conditions, allergies, notes);
        var image = await Anonymous().GetAsync(submission.SignatureUrl);
        Assert.That(image.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await image.Content.ReadAsByteArrayAsync(), Is.EqualTo(SignaturePng));
        Assert.That(image.Content.Headers.ContentType?.MediaType, Is.EqualTo("image/png"));
        Assert.That(submission.SignatureUrlExpiresAt, Is.LessThan(DateTime.UtcNow.AddMinutes(6)));

        // 8. The questionnaire changes: a question is reworded, one retired, one added.
        var edited = await SetQuestionnaireAsync(
            new QuestionInput(medication.Id, "Are you currently taking medication?", QuestionTypes.Radio, ["Yes", "No", "Not sure"], true, 10),
            new QuestionInput(allergies.Id, "Known allergies", QuestionTypes.Textarea, null, false, 20),
            new QuestionInput(null, "Are you pregnant?", QuestionTypes.Radio, ["Yes", "No"], false, 30));
        Assert.That(edited.Select(q => q.Question), Is.EqualTo(new[] { "Are you currently taking medication?", "Known allergies", "Are you pregnant?" }));
        Assert.That(edited[0].Id, Is.EqualTo(medication.Id));

        // 9. The old submission still shows the questions as they were answered.
        var after = (await ReadAsync<List<MedicalHistorySubmissionDto>>(await dentist.GetAsync($"/api/medical-history/patient/{patientId}"))).Single();
        AssertAnswers(after, medication, conditions, allergies, notes);
        Assert.That(after.SubmissionHash, Is.EqualTo(submission.SubmissionHash));

        // 10. Staff may send links but not read answers.
        await AssertErrorAsync(await staff.GetAsync($"/api/medical-history/patient/{patientId}"), HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        Assert.That((await (await As(Roles.Admin)).GetAsync($"/api/medical-history/patient/{patientId}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    private static void AssertAnswers(MedicalHistorySubmissionDto submission, QuestionDto medication, QuestionDto conditions, QuestionDto allergies, QuestionDto notes)
    {
        Assert.That(submission.Answers.Select(a => (a.QuestionId, a.Question, a.Type)), Is.EqualTo(new[]
        {
            (medication.Id, "Do you take any medication?", QuestionTypes.Radio),
            (conditions.Id, "Which of these apply?", QuestionTypes.Checkbox),
            (allergies.Id, "Allergies", QuestionTypes.Text),
            (notes.Id, "Anything else we should know?", QuestionTypes.Textarea),
        }));
        Assert.That(submission.Answers[0].Options, Is.EqualTo(new[] { "Yes", "No" }));
        Assert.That(submission.Answers[0].Answer.GetString(), Is.EqualTo("No"));
        Assert.That(submission.Answers[1].Answer.EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { "Diabetes", "Asthma" }));
        Assert.That(submission.Answers[2].Answer.GetString(), Is.EqualTo("Penicillin"));
        Assert.That(submission.Answers[3].Answer.GetString(), Is.EqualTo("Nervous about needles.\nPlease be gentle."));
    }

    [Test]
    public async Task Replacing_keeps_ids_swaps_orders_and_retires_missing_questions()
    {
        var first = await SetQuestionnaireAsync(
            new QuestionInput(null, "A", QuestionTypes.Text, null, false, 1),
            new QuestionInput(null, "B", QuestionTypes.Text, null, true, 2),
            new QuestionInput(null, "C", QuestionTypes.Checkbox, [" x ", "y"], false, 3));
        Assert.That(first[2].Options, Is.EqualTo(new[] { "x", "y" }), "options are trimmed");
        Assert.That(first.Select(q => q.Required), Is.EqualTo(new[] { false, true, false }));

        var second = await SetQuestionnaireAsync(
            new QuestionInput(first[1].Id, "B", QuestionTypes.Text, null, true, 1),
            new QuestionInput(first[0].Id, "A2", QuestionTypes.Radio, ["1", "2"], null, 2));
        Assert.That(second.Select(q => (q.Id, q.Question, q.Order)), Is.EqualTo(new[] { (first[1].Id, "B", 1), (first[0].Id, "A2", 2) }));
        Assert.That(second[1].UpdatedAt, Is.GreaterThanOrEqualTo(first[0].UpdatedAt));
        Assert.That(second[1].CreatedAt, Is.EqualTo(first[0].CreatedAt));

        // A retired question cannot come back by id.
        var response = await (await As(Roles.Admin)).PutAsJsonAsync("/api/medical-history/questions",
            new[] { new QuestionInput(first[2].Id, "C", QuestionTypes.Text, null, false, 1) });
        await AssertErrorAsync(response, HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "questions[0].id");

        Assert.That(await SetQuestionnaireAsync(), Is.Empty);
    }

    [Test]
    public async Task Invalid_questionnaires_name_every_field_and_change_nothing()
    {
        var before = await SetQuestionnaireAsync(new QuestionInput(null, "Kept", QuestionTypes.Text, null, false, 1));
        var response = await (await As(Roles.Dentist)).PutAsJsonAsync("/api/medical-history/questions", new object?[]
        {
            new { question = "", type = "text", order = 1 },
            new { question = "Type?", type = "dropdown", order = 2 },
            new { question = "One option", type = "radio", options = new[] { "Only" }, order = 3 },
            new { question = "Same options", type = "checkbox", options = new[] { "A", "A " }, order = 4 },
            new { question = "Empty option", type = "radio", options = new[] { "A", " " }, order = 5 },
            new { question = "No options", type = "radio", order = 6 },
            new { question = "Text with options", type = "textarea", options = new[] { "A", "B" }, order = 7 },
            new { question = "Same order", type = "text", order = 7 },
            new { question = "No order", type = "text" },
            new { question = "Negative order", type = "text", order = -1 },
        });
        await AssertErrorAsync(response, HttpStatusCode.BadRequest, ErrorCodes.ValidationError,
            "questions[0].question", "questions[1].type", "questions[2].options", "questions[3].options", "questions[4].options",
            "questions[5].options", "questions[6].options", "questions[7].order", "questions[8].order", "questions[9].order");

        await AssertErrorAsync(await (await As(Roles.Dentist)).PutAsJsonAsync("/api/medical-history/questions",
            new[] { new QuestionInput(Guid.NewGuid(), "Unknown", QuestionTypes.Text, null, false, 1) }),
            HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "questions[0].id");
        var dup = Guid.NewGuid();
        await AssertErrorAsync(await (await As(Roles.Dentist)).PutAsJsonAsync("/api/medical-history/questions",
                new[] { new QuestionInput(dup, "X", QuestionTypes.Text, null, false, 1), new QuestionInput(dup, "Y", QuestionTypes.Text, null, false, 2) }),
            HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "questions[1].id");
        await AssertErrorAsync(await (await As(Roles.Dentist)).PutAsJsonAsync("/api/medical-history/questions", new { questions = Array.Empty<object>() }),
            HttpStatusCode.BadRequest, ErrorCodes.BadRequest);

        var after = await ReadAsync<List<QuestionDto>>(await (await As(Roles.Staff)).GetAsync("/api/medical-history/questions"));
        Assert.That(after, Is.EqualTo(before).Using<QuestionDto>(SameQuestion));
    }

    [Test]
    public async Task Roles_questions_are_written_by_clinicians_and_answers_read_by_clinicians()
    {
        var staff = await As(Roles.Staff);
        await AssertErrorAsync(await staff.PutAsJsonAsync("/api/medical-history/questions", Array.Empty<QuestionInput>()), HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        await AssertErrorAsync(await staff.GetAsync($"/api/medical-history/patient/{Guid.NewGuid()}"), HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        await AssertErrorAsync(await Anonymous().GetAsync("/api/medical-history/questions"), HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
        await AssertErrorAsync(await Anonymous().PostAsJsonAsync($"/api/patients/{Guid.NewGuid()}/medical-history-link", new { }), HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
        var dentist = await As(Roles.Dentist);
        await AssertErrorAsync(await dentist.GetAsync($"/api/medical-history/patient/{Guid.NewGuid()}"), HttpStatusCode.NotFound, ErrorCodes.NotFound);
        var patientId = await TestPatients.CreateAsync(App);
        Assert.That(await ReadAsync<List<MedicalHistorySubmissionDto>>(await dentist.GetAsync($"/api/medical-history/patient/{patientId}")), Is.Empty);
    }

    [Test]
    public async Task Link_rules_unknown_patient_expiry_bounds_and_sms_outbox()
    {
        var staff = await As(Roles.Staff);
        await AssertErrorAsync(await staff.PostAsJsonAsync($"/api/patients/{Guid.NewGuid()}/medical-history-link", new { }), HttpStatusCode.NotFound, ErrorCodes.NotFound);
        var patientId = await TestPatients.CreateAsync(App);
        foreach (var hours in new[] { 0, 721 })
            await AssertErrorAsync(await staff.PostAsJsonAsync($"/api/patients/{patientId}/medical-history-link", new CreateMedicalHistoryLink(hours, null)),
                HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "expiresInHours");

        var noBody = await ReadAsync<MedicalHistoryLinkDto>(await staff.PostAsync($"/api/patients/{patientId}/medical-history-link", null), HttpStatusCode.Created);
        Assert.That(noBody.ExpiresAt, Is.EqualTo(DateTime.UtcNow.AddHours(72)).Within(TimeSpan.FromMinutes(2)));
        var month = await ReadAsync<MedicalHistoryLinkDto>(
            await staff.PostAsJsonAsync($"/api/patients/{patientId}/medical-history-link", new CreateMedicalHistoryLink(720, true)), HttpStatusCode.Created);
        Assert.That(month.ExpiresAt, Is.EqualTo(DateTime.UtcNow.AddDays(30)).Within(TimeSpan.FromMinutes(2)));
        Assert.That(month.Token, Is.Not.EqualTo(noBody.Token));
        Assert.That(month.Sms?.Status, Is.EqualTo("pending"));

        var outbox = await TestPatients.WithDbAsync(App, db => db.Set<SmsOutboxMessage>().SingleAsync(m => m.Id == month.Sms!.Id));
        var mobile = await TestPatients.WithDbAsync(App, db => db.Patients.Where(p => p.Id == patientId).Select(p => p.MobileE164).SingleAsync());
        Assert.That((outbox.Status, outbox.To, outbox.Purpose), Is.EqualTo(("pending", mobile, "medical_history_link")));
        Assert.That(outbox.Body, Does.Contain(month.Url));
        Assert.That(month.Sms!.To, Is.EqualTo(mobile));

        // Archived patients get no links, and their open links stop working.
        await TestPatients.WithDbAsync(App, db => db.Patients.Where(p => p.Id == patientId).ExecuteUpdateAsync(s => s.SetProperty(p => p.ArchivedAt, DateTime.UtcNow)));
        await AssertErrorAsync(await staff.PostAsync($"/api/patients/{patientId}/medical-history-link", null), HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await AssertErrorAsync(await Anonymous().GetAsync($"/api/medical-history/{month.Token}"), HttpStatusCode.Gone, ErrorCodes.Gone);
    }

    [Test]
    public async Task Unknown_tokens_are_404_and_expired_links_410()
    {
        await AssertErrorAsync(await Anonymous().GetAsync("/api/medical-history/" + new string('A', 43)), HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await AssertErrorAsync(await Anonymous().PostAsJsonAsync("/api/medical-history/nope",
            new { dateOfBirth = "1990-01-01", signature = TestImages.DataUrl(SignaturePng), answers = Array.Empty<object>() }), HttpStatusCode.NotFound, ErrorCodes.NotFound);

        var patientId = await TestPatients.CreateAsync(App);
        var link = await CreateLinkAsync(patientId);
        await TestPatients.WithDbAsync(App, db => db.Set<MedicalHistoryLink>().Where(l => l.PatientId == patientId)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.ExpiresAt, DateTime.UtcNow.AddSeconds(-1))));
        await AssertErrorAsync(await Anonymous().GetAsync($"/api/medical-history/{link.Token}"), HttpStatusCode.Gone, ErrorCodes.Gone);
        await AssertErrorAsync(await Anonymous().PostAsJsonAsync($"/api/medical-history/{link.Token}",
            new { dateOfBirth = "1990-01-01", signature = TestImages.DataUrl(SignaturePng), answers = Array.Empty<object>() }), HttpStatusCode.Gone, ErrorCodes.Gone);
    }

    [Test]
    public async Task Five_wrong_dates_of_birth_lock_the_link()
    {
        var question = (await SetQuestionnaireAsync(new QuestionInput(null, "Smoker?", QuestionTypes.Radio, ["Yes", "No"], true, 1)))[0];
        var patientId = await TestPatients.CreateAsync(App, new DateOnly(1975, 1, 31));
        var link = await CreateLinkAsync(patientId);
        object Body(string dob) => new { dateOfBirth = dob, signature = Convert.ToBase64String(TestImages.Jpeg), answers = new[] { new { questionId = question.Id, answer = "No" } } };

        var messages = new List<string>();
        for (var i = 0; i < 5; i++)
            messages.Add((await AssertErrorAsync(await Anonymous().PostAsJsonAsync($"/api/medical-history/{link.Token}", Body("1975-01-30")),
                HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "dateOfBirth")).Details.Single(d => d.Field == "dateOfBirth").Message);
        Assert.That(messages.Take(3), Has.All.EqualTo("Date of birth does not match our records"));
        Assert.That(messages[3], Does.Contain("one try is left"), "the fourth wrong date warns before the link locks");
        Assert.That(messages[4], Does.Contain("locked"));
        await AssertErrorAsync(await Anonymous().PostAsJsonAsync($"/api/medical-history/{link.Token}", Body("1975-01-31")), HttpStatusCode.Gone, ErrorCodes.Gone);
        await AssertErrorAsync(await Anonymous().GetAsync($"/api/medical-history/{link.Token}"), HttpStatusCode.Gone, ErrorCodes.Gone);

        // A new link works with the right date, after a wrong one, and takes a bare-base64 JPEG signature.
        var fresh = await CreateLinkAsync(patientId);
        await AssertErrorAsync(await Anonymous().PostAsJsonAsync($"/api/medical-history/{fresh.Token}", Body("1975-01-30")),
            HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "dateOfBirth");
        await ReadAsync<MedicalHistorySubmitted>(await Anonymous().PostAsJsonAsync($"/api/medical-history/{fresh.Token}", Body("1975-01-31")), HttpStatusCode.Created);
        var history = await ReadAsync<List<MedicalHistorySubmissionDto>>(await (await As(Roles.Dentist)).GetAsync($"/api/medical-history/patient/{patientId}"));
        var image = await Anonymous().GetAsync(history.Single().SignatureUrl);
        Assert.That(await image.Content.ReadAsByteArrayAsync(), Is.EqualTo(TestImages.Jpeg));
        Assert.That(image.Content.Headers.ContentType?.MediaType, Is.EqualTo("image/jpeg"));
    }

    [Test]
    public async Task A_patient_without_a_date_of_birth_gets_it_saved_and_submissions_list_newest_first()
    {
        await SetQuestionnaireAsync(new QuestionInput(null, "Optional note", QuestionTypes.Text, null, false, 1));
        var patientId = await TestPatients.CreateAsync(App, dateOfBirth: null);
        var first = await CreateLinkAsync(patientId);
        var request = new { dateOfBirth = "2001-02-03", signature = TestImages.DataUrl(SignaturePng), answers = Array.Empty<object>() };
        var one = await ReadAsync<MedicalHistorySubmitted>(await PostWithAgent(first.Token, request), HttpStatusCode.Created);
        var saved = await TestPatients.WithDbAsync(App, db => db.Patients.Where(p => p.Id == patientId).Select(p => p.DateOfBirth).SingleAsync());
        Assert.That(saved, Is.EqualTo(new DateOnly(2001, 2, 3)));

        // From now on the date must match.
        var second = await CreateLinkAsync(patientId);
        await AssertErrorAsync(await Anonymous().PostAsJsonAsync($"/api/medical-history/{second.Token}", request with { dateOfBirth = "2001-02-04" }),
            HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "dateOfBirth");
        var two = await ReadAsync<MedicalHistorySubmitted>(await PostWithAgent(second.Token, request), HttpStatusCode.Created);

        var history = await ReadAsync<List<MedicalHistorySubmissionDto>>(await (await As(Roles.Dentist)).GetAsync($"/api/medical-history/patient/{patientId}"));
        Assert.That(history.Select(h => h.Id), Is.EqualTo(new[] { two.Id, one.Id }));
        Assert.That(history[0].Answers, Is.Empty);
        var row = await TestPatients.WithDbAsync(App, db => db.Set<MedicalHistorySubmission>().SingleAsync(s => s.Id == one.Id));
        Assert.That(row.UserAgent, Is.EqualTo("DentalClinicTests/1.0"));
        Assert.That(row.IpAddress, Is.EqualTo("127.0.0.1"));
        Assert.That(row.SignatureKey, Does.StartWith("signatures/"));
    }

    [Test]
    public async Task Racing_submissions_use_a_link_once()
    {
        await SetQuestionnaireAsync();
        var patientId = await TestPatients.CreateAsync(App, new DateOnly(1990, 1, 1));
        var link = await CreateLinkAsync(patientId);
        var body = new { dateOfBirth = "1990-01-01", signature = TestImages.DataUrl(SignaturePng), answers = Array.Empty<object>() };
        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Anonymous().PostAsJsonAsync($"/api/medical-history/{link.Token}", body)));
        Assert.That(responses.Count(r => r.StatusCode == HttpStatusCode.Created), Is.EqualTo(1));
        Assert.That(responses.Count(r => r.StatusCode == HttpStatusCode.Gone), Is.EqualTo(3));
        var count = await TestPatients.WithDbAsync(App, db => db.Set<MedicalHistorySubmission>().CountAsync(s => s.PatientId == patientId));
        Assert.That(count, Is.EqualTo(1));
    }

    [Test]
    public async Task The_api_document_describes_the_public_form_answers_and_the_logo_upload()
    {
        using var doc = JsonDocument.Parse(await (await Anonymous().GetAsync("/openapi/v1.json")).Content.ReadAsStringAsync());
        var root = doc.RootElement;
        var paths = root.GetProperty("paths");
        var submit = paths.GetProperty("/api/medical-history/{token}").GetProperty("post");
        Assert.That(submit.GetProperty("security").GetArrayLength(), Is.Zero, "the form is public");
        Assert.That(submit.GetProperty("responses").TryGetProperty("410", out _), Is.True);
        Assert.That(paths.GetProperty("/api/medical-history/patient/{patientId}").GetProperty("get").TryGetProperty("security", out _), Is.True);

        var answer = root.GetProperty("components").GetProperty("schemas").GetProperty("JsonElement").GetProperty("oneOf");
        Assert.That(answer.EnumerateArray().Select(s => s.GetProperty("type").GetString()), Is.EqualTo(new[] { "string", "array" }));

        var upload = paths.GetProperty("/api/settings/logo").GetProperty("put").GetProperty("requestBody").GetProperty("content");
        Assert.That(upload.TryGetProperty("multipart/form-data", out var form), Is.True);
        Assert.That(form.GetRawText(), Does.Contain("LogoUploadForm"));
    }

    private async Task<HttpResponseMessage> PostWithAgent(string token, object body)
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.UserAgent.ParseAdd("DentalClinicTests/1.0");
        return await client.PostAsJsonAsync($"/api/medical-history/{token}", body);
    }

    private async Task<MedicalHistoryLinkDto> CreateLinkAsync(Guid patientId) =>
        await ReadAsync<MedicalHistoryLinkDto>(
            await (await As(Roles.Staff)).PostAsJsonAsync($"/api/patients/{patientId}/medical-history-link", new CreateMedicalHistoryLink(null, null)),
            HttpStatusCode.Created);

    private async Task<List<QuestionDto>> SetQuestionnaireAsync(params QuestionInput[] questions) =>
        await ReadAsync<List<QuestionDto>>(await (await As(Roles.Dentist)).PutAsJsonAsync("/api/medical-history/questions", questions));

    private static bool SameQuestion(QuestionDto a, QuestionDto b) =>
        JsonSerializer.Serialize(a) == JsonSerializer.Serialize(b);
}
