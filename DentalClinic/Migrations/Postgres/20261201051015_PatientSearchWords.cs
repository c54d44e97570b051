using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DentalClinic.Migrations.Postgres
{
    /// <summary>
    /// The word index of patient search on PostgreSQL: patient_search_words(search_text) is every start of
    /// 1 to 20 characters (code points) of every word of the search text that is not only digits — exactly
    /// the words a one-word search finds the patient by (PatientSearchPrefix.Ranks), so that
    /// <c>patient_search_words(search_text) @> ARRAY['mary', 'smith']</c> holds exactly when both
    /// <c>search_text LIKE '% mary%'</c> and <c>LIKE '% smith%'</c> do. Its GIN index answers a search of
    /// several words by intersecting each word's patients. The index compares its keys in the "C" collation
    /// (bytes): built several times faster than in the database's, and a query must name it to use the index.
    /// An expression index: nothing to backfill, PostgreSQL keeps it with search_text.
    /// </summary>
    public partial class PatientSearchWords : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE FUNCTION patient_search_words(search_text text) RETURNS text[]
                LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
                AS $$
                    SELECT ARRAY(
                        SELECT left(w, n)
                        FROM unnest(string_to_array(search_text, ' ')) AS w, generate_series(1, least(length(w), 20)) AS n
                        WHERE ltrim(w, '0123456789#') <> '')
                $$;
                """);
            migrationBuilder.Sql("""CREATE INDEX ix_patients_search_words ON patients USING gin ((patient_search_words(search_text)) COLLATE "C");""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_patients_search_words;");
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS patient_search_words(text);");
        }
    }
}
