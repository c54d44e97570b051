using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DentalClinic.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PatientSearchDigitPieces : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(PatientSearchDigitPiecesBackfill.Sqlite);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Back to every tail of each run.
            migrationBuilder.Sql("DELETE FROM patient_search_digits");
            migrationBuilder.Sql(PatientSearchDigitsBackfill.Sqlite);
        }
    }
}
