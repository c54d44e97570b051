namespace DentalClinic.Migrations;

/// <summary>
/// The SQL of the PatientSearchDigitPieces migration: replaces the digit rows (until then every tail of
/// each run) by what <c>PatientSearchDigits.Substrings</c> computes — every piece of 4 to 20 digits of each
/// run of at least 4 ASCII digits in <c>search_text</c>, with the patient's names, for active patients.
/// Frozen with the migration.
/// </summary>
public static class PatientSearchDigitPiecesBackfill
{
    // The name-ordered index is dropped while the rows are written and built once afterwards.
    public const string Postgres = """
        TRUNCATE patient_search_digits;
        DROP INDEX ix_patient_search_digits_digits;
        INSERT INTO patient_search_digits (patient_id, digits, last_name, first_name)
        SELECT p.id, substr(m.run[1], k, n), p.last_name, p.first_name
        FROM patients p
        CROSS JOIN LATERAL regexp_matches(p.search_text, '[0-9]{4,}', 'g') AS m(run)
        CROSS JOIN LATERAL generate_series(1, length(m.run[1]) - 3) AS k
        CROSS JOIN LATERAL generate_series(4, least(20, length(m.run[1]) - k + 1)) AS n
        WHERE p.archived_at IS NULL
        ON CONFLICT DO NOTHING;
        CREATE INDEX ix_patient_search_digits_digits ON patient_search_digits (digits, last_name, first_name, patient_id);
        """;

    // SQLite, without regular expressions: from every position, the run's length is the length of the
    // rest of the text minus that of the rest with its leading digits trimmed; each of its first 4…20 digits is a row.
    public const string Sqlite = """
        DELETE FROM patient_search_digits;
        WITH RECURSIVE positions(patient_id, last_name, first_name, search_text, n) AS (
            SELECT id, last_name, first_name, search_text, 1 FROM patients WHERE length(search_text) > 0 AND archived_at IS NULL
            UNION ALL
            SELECT patient_id, last_name, first_name, search_text, n + 1 FROM positions WHERE n < length(search_text)
        ),
        runs(patient_id, last_name, first_name, rest, run) AS (
            SELECT patient_id, last_name, first_name, substr(search_text, n),
                   length(substr(search_text, n)) - length(ltrim(substr(search_text, n), '0123456789'))
            FROM positions
        ),
        lengths(n) AS (SELECT 4 UNION ALL SELECT n + 1 FROM lengths WHERE n < 20)
        INSERT INTO patient_search_digits (patient_id, digits, last_name, first_name)
        SELECT DISTINCT patient_id, substr(rest, 1, lengths.n), last_name, first_name FROM runs JOIN lengths ON lengths.n <= run WHERE run >= 4
        """;
}
