using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DentalClinic.Migrations.Sqlite
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
                    patient_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    prefix = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    rank = table.Column<int>(type: "INTEGER", nullable: false),
                    last_name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    first_name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false)
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
            migrationBuilder.Sql(PatientSearchPrefixBackfill.Sqlite);

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
