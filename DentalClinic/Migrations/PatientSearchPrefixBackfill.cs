namespace DentalClinic.Migrations;

/// <summary>
/// The SQL that fills <c>patient_search_prefixes</c> for patients that existed before the
/// AddPatientSearchPrefixes migration, from their <c>search_text</c>: what <c>PatientSearchPrefix.Ranks</c>
/// computes (every start, up to 20 characters, of every word with a non-digit; rank 3 for a whole
/// word of the names, 2 for the start of one, 1 for the start of an email word). Frozen with the migration.
/// </summary>
public static class PatientSearchPrefixBackfill
{
    public const string Postgres = """
        INSERT INTO patient_search_prefixes (patient_id, prefix, rank, last_name, first_name)
        SELECT p.id, left(w.word, n), max(CASE WHEN NOT w.in_names THEN 1 WHEN n = length(w.word) THEN 3 ELSE 2 END), p.last_name, p.first_name
        FROM patients p
        CROSS JOIN LATERAL (
            SELECT word, true AS in_names FROM regexp_split_to_table(split_part(p.search_text, '#', 1), ' ') AS word
            UNION ALL
            SELECT word, false FROM regexp_split_to_table(split_part(p.search_text, '#', 2), ' ') AS word
        ) AS w
        CROSS JOIN LATERAL generate_series(1, least(length(w.word), 20)) AS n
        WHERE w.word ~ '[^0-9]'
        GROUP BY p.id, left(w.word, n), p.last_name, p.first_name
        """;

    public const string Sqlite = """
        WITH RECURSIVE
        parts(patient_id, last_name, first_name, in_names, rest) AS (
            SELECT id, last_name, first_name, 1,
                (CASE WHEN instr(search_text, '#') > 0 THEN substr(search_text, 1, instr(search_text, '#') - 1) ELSE search_text END) || ' '
            FROM patients
            UNION ALL
            SELECT id, last_name, first_name, 0,
                (CASE WHEN instr(search_text, '#') > 0 THEN substr(search_text, instr(search_text, '#') + 1) ELSE '' END) || ' '
            FROM patients
        ),
        words(patient_id, last_name, first_name, in_names, word, rest) AS (
            SELECT patient_id, last_name, first_name, in_names, '', rest FROM parts
            UNION ALL
            SELECT patient_id, last_name, first_name, in_names, substr(rest, 1, instr(rest, ' ') - 1), substr(rest, instr(rest, ' ') + 1)
            FROM words WHERE rest <> ''
        ),
        prefixes(patient_id, last_name, first_name, in_names, word, n) AS (
            SELECT patient_id, last_name, first_name, in_names, word, 1 FROM words WHERE word GLOB '*[^0-9]*'
            UNION ALL
            SELECT patient_id, last_name, first_name, in_names, word, n + 1 FROM prefixes WHERE n < min(length(word), 20)
        )
        INSERT INTO patient_search_prefixes (patient_id, prefix, rank, last_name, first_name)
        SELECT patient_id, substr(word, 1, n), max(CASE WHEN in_names = 0 THEN 1 WHEN n = length(word) THEN 3 ELSE 2 END), last_name, first_name
        FROM prefixes
        GROUP BY patient_id, substr(word, 1, n)
        """;
}
