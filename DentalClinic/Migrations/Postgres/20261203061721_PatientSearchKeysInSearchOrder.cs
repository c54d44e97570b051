using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DentalClinic.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PatientSearchKeysInSearchOrder : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The search rows are keyed in the order searches read them, with no index by patient and no foreign key:
            // PatientSearchInterceptor deletes a patient's rows by their whole key.
            migrationBuilder.DropForeignKey(
                name: "fk_patient_search_digits_patients_patient_id",
                table: "patient_search_digits");

            migrationBuilder.DropForeignKey(
                name: "fk_patient_search_prefixes_patients_patient_id",
                table: "patient_search_prefixes");

            migrationBuilder.DropPrimaryKey(
                name: "pk_patient_search_prefixes",
                table: "patient_search_prefixes");

            migrationBuilder.DropIndex(
                name: "ix_patient_search_prefixes_ranked",
                table: "patient_search_prefixes");

            migrationBuilder.DropPrimaryKey(
                name: "pk_patient_search_digits",
                table: "patient_search_digits");

            migrationBuilder.DropIndex(
                name: "ix_patient_search_digits_digits",
                table: "patient_search_digits");

            migrationBuilder.RenameColumn(
                name: "rank",
                table: "patient_search_prefixes",
                newName: "precedence");

            // Rank 3 (a whole word of the names) first: the key ascends, as a one-word search's results do. Rewritten
            // rather than updated, which would leave the table and its new key twice their size (the old row versions).
            migrationBuilder.Sql("ALTER TABLE patient_search_prefixes ALTER COLUMN precedence TYPE integer USING 3 - precedence;");

            migrationBuilder.AddPrimaryKey(
                name: "pk_patient_search_prefixes",
                table: "patient_search_prefixes",
                columns: new[] { "prefix", "precedence", "last_name", "first_name", "patient_id" });

            migrationBuilder.AddPrimaryKey(
                name: "pk_patient_search_digits",
                table: "patient_search_digits",
                columns: new[] { "digits", "last_name", "first_name", "patient_id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER TABLE patient_search_prefixes ALTER COLUMN precedence TYPE integer USING 3 - precedence;");

            migrationBuilder.DropPrimaryKey(
                name: "pk_patient_search_prefixes",
                table: "patient_search_prefixes");

            migrationBuilder.DropPrimaryKey(
                name: "pk_patient_search_digits",
                table: "patient_search_digits");

            migrationBuilder.RenameColumn(
                name: "precedence",
                table: "patient_search_prefixes",
                newName: "rank");

            migrationBuilder.AddPrimaryKey(
                name: "pk_patient_search_prefixes",
                table: "patient_search_prefixes",
                columns: new[] { "patient_id", "prefix" });

            migrationBuilder.AddPrimaryKey(
                name: "pk_patient_search_digits",
                table: "patient_search_digits",
                columns: new[] { "patient_id", "digits" });

            migrationBuilder.CreateIndex(
                name: "ix_patient_search_prefixes_ranked",
                table: "patient_search_prefixes",
                columns: new[] { "prefix", "rank", "last_name", "first_name", "patient_id" },
                descending: new[] { false, true, false, false, false });

            migrationBuilder.CreateIndex(
                name: "ix_patient_search_digits_digits",
                table: "patient_search_digits",
                columns: new[] { "digits", "last_name", "first_name", "patient_id" });

            migrationBuilder.AddForeignKey(
                name: "fk_patient_search_digits_patients_patient_id",
                table: "patient_search_digits",
                column: "patient_id",
                principalTable: "patients",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "fk_patient_search_prefixes_patients_patient_id",
                table: "patient_search_prefixes",
                column: "patient_id",
                principalTable: "patients",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);
        }
    }
}
