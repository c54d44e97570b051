using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DentalClinic.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AddPatientSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "search_text",
                table: "patients",
                type: "TEXT",
                maxLength: 1000,
                nullable: false,
                defaultValue: "");

            migrationBuilder.Sql(PatientSearchBackfill.UpdateSql);

            // Full-text index: an FTS5 trigram table answers LIKE '%…%' from its index; triggers keep it in sync.
            migrationBuilder.Sql("CREATE VIRTUAL TABLE patients_fts USING fts5(patient_id UNINDEXED, search_text, tokenize = 'trigram');");
            migrationBuilder.Sql("INSERT INTO patients_fts (patient_id, search_text) SELECT id, search_text FROM patients;");
            migrationBuilder.Sql("""
                CREATE TRIGGER patients_fts_insert AFTER INSERT ON patients BEGIN
                    INSERT INTO patients_fts (patient_id, search_text) VALUES (new.id, new.search_text);
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER patients_fts_update AFTER UPDATE OF id, search_text ON patients BEGIN
                    UPDATE patients_fts SET patient_id = new.id, search_text = new.search_text WHERE patient_id = old.id;
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER patients_fts_delete AFTER DELETE ON patients BEGIN
                    DELETE FROM patients_fts WHERE patient_id = old.id;
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS patients_fts_delete;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS patients_fts_update;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS patients_fts_insert;");
            migrationBuilder.Sql("DROP TABLE IF EXISTS patients_fts;");

            migrationBuilder.DropColumn(
                name: "search_text",
                table: "patients");
        }
    }
}
