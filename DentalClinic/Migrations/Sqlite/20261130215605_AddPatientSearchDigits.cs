using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DentalClinic.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AddPatientSearchDigits : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "patient_search_digits",
                columns: table => new
                {
                    patient_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    digits = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    last_name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    first_name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_patient_search_digits", x => new { x.patient_id, x.digits });
                    table.ForeignKey(
                        name: "fk_patient_search_digits_patients_patient_id",
                        column: x => x.patient_id,
                        principalTable: "patients",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            // Patients saved before this migration are found by their digits at once (filled before the
            // index is built, which is then one sort instead of millions of inserts).
            migrationBuilder.Sql(PatientSearchDigitsBackfill.Sqlite);

            migrationBuilder.CreateIndex(
                name: "ix_patient_search_digits_digits",
                table: "patient_search_digits",
                columns: new[] { "digits", "last_name", "first_name", "patient_id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "patient_search_digits");
        }
    }
}
