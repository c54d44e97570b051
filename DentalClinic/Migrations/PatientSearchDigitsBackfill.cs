namespace DentalClinic.Migrations;

/// <summary>
/// The SQL that fills <c>patient_search_digits</c> for patients that existed before the
/// AddPatientSearchDigits migration, from their <c>search_text</c>: what <c>PatientSearchDigits.Tails</c>
/// computes (from every position where a run of at least 4 ASCII digits continues, that run, cut to 20).
/// The run's length is the length of the text from the position minus that of the text with its
/// leading digits trimmed. Frozen with the migration.
/// </summary>
public static class PatientSearchDigitsBackfill
{
    public const string Postgres = """
        INSERT INTO patient_search_digits (patient_id, digits)
        SELECT DISTINCT t.id, left(t.rest, least(t.run, 20))
        FROM (
            SELECT p.id, substr(p.search_text, n) AS rest,
                   length(substr(p.search_text, n)) - length(ltrim(substr(p.search_text, n), '0123456789')) AS run
            FROM patients p
            CROSS JOIN LATERAL generate_series(1, length(p.search_text)) AS n
        ) AS t
        WHERE t.run >= 4
        """;

    public const string Sqlite = """
        WITH RECURSIVE positions(patient_id, search_text, n) AS (
            SELECT id, search_text, 1 FROM patients WHERE length(search_text) > 0
            UNION ALL
            SELECT patient_id, search_text, n + 1 FROM positions WHERE n < length(search_text)
        ),
        runs(patient_id, rest, run) AS (
            SELECT patient_id, substr(search_text, n),
                   length(substr(search_text, n)) - length(ltrim(substr(search_text, n), '0123456789'))
            FROM positions
        )
        INSERT INTO patient_search_digits (patient_id, digits)
        SELECT DISTINCT patient_id, substr(rest, 1, min(run, 20)) FROM runs WHERE run >= 4
        """;
}
