using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DentalClinic.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AddPatientSearchPrefixes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "patient_search_prefixes",
                columns: table => new
                {
                    patient_id = table.Column<Guid>(type: "uuid", nullable: false),
                    prefix = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    rank = table.Column<int>(type: "integer", nullable: false),
                    last_name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    first_name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_patient_search_prefixes", x => new { x.patient_id, x.prefix });
                    table.ForeignKey(
                        name: "fk_patient_search_prefixes_patients_patient_id",
                        column: x => x.patient_id,
                        principalTable: "patients",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            // Patients saved before this migration: their rows, from their search text (before the index: faster).
            migrationBuilder.Sql(PatientSearchPrefixBackfill.Postgres);

            migrationBuilder.CreateIndex(
                name: "ix_patient_search_prefixes_ranked",
                table: "patient_search_prefixes",
                columns: new[] { "prefix", "rank", "last_name", "first_name", "patient_id" },
                descending: new[] { false, true, false, false, false });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "patient_search_prefixes");
        }
    }
}
