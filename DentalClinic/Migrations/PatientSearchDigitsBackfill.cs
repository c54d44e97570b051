namespace DentalClinic.Migrations;

/// <summary>
/// The SQL that fills <c>patient_search_digits</c> for patients that existed before the
/// AddPatientSearchDigits migration, from their <c>search_text</c>: what <c>PatientSearchDigits.Tails</c>
/// computes (from every position where a run of at least 4 ASCII digits continues, that run, cut to 20),
/// with the patient's names, for active patients.
/// Frozen with the migration.
/// </summary>
public static class PatientSearchDigitsBackfill
{
    // PostgreSQL finds the runs with a regular expression and writes each run's tails.
    public const string Postgres = """
        INSERT INTO patient_search_digits (patient_id, digits, last_name, first_name)
        SELECT DISTINCT p.id, left(substr(m.run[1], k), 20), p.last_name, p.first_name
        FROM patients p
        CROSS JOIN LATERAL regexp_matches(p.search_text, '[0-9]{4,}', 'g') AS m(run)
        CROSS JOIN LATERAL generate_series(1, length(m.run[1]) - 3) AS k
        WHERE p.archived_at IS NULL
        """;

    // SQLite, without regular expressions: from every position, the run's length is the length of the
    // rest of the text minus that of the rest with its leading digits trimmed.
    public const string Sqlite = """
        WITH RECURSIVE positions(patient_id, last_name, first_name, search_text, n) AS (
            SELECT id, last_name, first_name, search_text, 1 FROM patients WHERE length(search_text) > 0 AND archived_at IS NULL
            UNION ALL
            SELECT patient_id, last_name, first_name, search_text, n + 1 FROM positions WHERE n < length(search_text)
        ),
        runs(patient_id, last_name, first_name, rest, run) AS (
            SELECT patient_id, last_name, first_name, substr(search_text, n),
                   length(substr(search_text, n)) - length(ltrim(substr(search_text, n), '0123456789'))
            FROM positions
        )
        INSERT INTO patient_search_digits (patient_id, digits, last_name, first_name)
        SELECT DISTINCT patient_id, substr(rest, 1, min(run, 20)), last_name, first_name FROM runs WHERE run >= 4
        """;
}
